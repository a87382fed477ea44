package org.ttyaudit.bench.server;

import java.util.Random;

/**
 * Made-up command lines with the word statistics of real shell history: a few very common words ({@code git},
 * {@code ls}, {@code sudo}), a long tail of file, host and service names, and ids that occur once or a few times
 * (container ids, commit hashes, ticket numbers) — the "rare words" a search benchmark looks for.
 *
 * <p>Deterministic for a {@link Random}; stateless otherwise.
 */
final class CommandHistory {
    static final String[] SERVICES = {"nginx", "postgresql", "redis", "kafka", "docker", "sshd", "cron", "haproxy",
        "prometheus", "grafana", "elasticsearch", "rabbitmq"};
    static final String[] FILES = {"config.yaml", "values.yaml", "main.go", "index.js", "Makefile", "README.md",
        "docker-compose.yml", "nginx.conf", "app.py", "pom.xml", "settings.json", "deploy.sh", "backup.sql"};
    static final String[] DIRS = {"/etc", "/var/log", "/srv/app", "/home/alice/src", "/opt/shop", "/tmp",
        "/var/lib/postgresql", "~/projects/billing", "~/infra/terraform"};
    private static final String[] TEMPLATES = {
        "ls -la %d", "cd %d", "git status", "git pull --rebase", "git push origin %b", "git log --oneline -n %n",
        "git checkout -b %b", "git commit -m '%t'", "vim %f", "cat %d/%f", "less %d/%f", "tail -f /var/log/%s.log",
        "sudo systemctl restart %s", "sudo systemctl status %s", "journalctl -u %s --since today",
        "docker ps", "docker logs %x", "docker exec -it %x bash", "kubectl get pods -n %s",
        "kubectl describe pod %s-%x", "kubectl logs -f %s-%x", "ssh deploy@web-%h", "scp %f deploy@web-%h:/tmp",
        "grep -rn %w %d", "find %d -name '*.%e'", "psql -h db-%h -U app -c 'select * from orders where id = %n'",
        "curl -s http://web-%h:8080/api/v1/%w", "make -j2 %w", "python3 manage.py %w", "terraform plan -out %x.plan",
        "ps aux | grep %s", "df -h", "free -m", "top", "history | grep %w", "echo $PATH", "export TICKET=OPS-%n",
        "rm -rf /tmp/%x", "chmod 600 %f", "tar czf %x.tar.gz %d"};
    private static final String[] WORDS = {"build", "test", "deploy", "migrate", "orders", "invoices", "payments",
        "customers", "health", "metrics", "cache", "release", "hotfix", "rollback", "reindex"};
    private static final String[] EXTENSIONS = {"py", "go", "java", "log", "yaml", "conf", "sql"};

    private CommandHistory() {
    }

    /** One command line; {@code %x} ids are 10 hex digits, so each occurs about once in 10 million commands. */
    static String next(Random r) {
        String t = TEMPLATES[r.nextInt(TEMPLATES.length)];
        StringBuilder out = new StringBuilder(t.length() + 24);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c != '%' || i + 1 == t.length()) {
                out.append(c);
                continue;
            }
            char k = t.charAt(++i);
            switch (k) {
                case 'd' -> out.append(DIRS[r.nextInt(DIRS.length)]);
                case 'f' -> out.append(FILES[r.nextInt(FILES.length)]);
                case 's' -> out.append(SERVICES[r.nextInt(SERVICES.length)]);
                case 'w' -> out.append(WORDS[r.nextInt(WORDS.length)]);
                case 'e' -> out.append(EXTENSIONS[r.nextInt(EXTENSIONS.length)]);
                case 'b' -> out.append("feature/").append(WORDS[r.nextInt(WORDS.length)]).append('-')
                        .append(r.nextInt(5000));
                case 't' -> out.append("fix ").append(WORDS[r.nextInt(WORDS.length)]).append(" for ")
                        .append(SERVICES[r.nextInt(SERVICES.length)]);
                case 'n' -> out.append(r.nextInt(100_000));
                case 'h' -> out.append(r.nextInt(500));
                case 'x' -> out.append(hexId(r));
                default -> out.append('%').append(k);
            }
        }
        return out.toString();
    }

    static String hexId(Random r) {
        return String.format("%010x", r.nextLong() & 0xFF_FFFF_FFFFL);
    }
}
