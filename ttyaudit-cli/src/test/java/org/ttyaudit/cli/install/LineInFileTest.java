package org.ttyaudit.cli.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LineInFileTest {
    @TempDir
    Path dir;

    private void roundTrip(String original) throws Exception {
        Path file = dir.resolve("shells");
        Files.writeString(file, original);

        assertThat(LineInFile.present(file, "/x/sh").apply(false).changed()).isTrue();
        assertThat(Files.readString(file).lines()).contains("/x/sh");
        assertThat(LineInFile.present(file, "/x/sh").apply(false).changed()).isFalse();
        assertThat(LineInFile.absent(file, "/x/sh").apply(false).changed()).isTrue();
        assertThat(Files.readString(file)).isEqualTo(original);
        assertThat(LineInFile.absent(file, "/x/sh").apply(false).changed()).isFalse();
    }

    @Test
    void addingAndRemovingGivesBackTheOriginalBytes() throws Exception {
        roundTrip("/bin/sh\n/bin/bash\n");
        roundTrip("/bin/sh\r\n/bin/bash");
        roundTrip("");
    }

    @Test
    void removingKeepsTheOtherLinesWhereverTheLineIs() throws Exception {
        Path file = dir.resolve("shells");
        Files.writeString(file, "/bin/sh\n/x/sh\n/bin/bash\n/x/sh\n");

        LineInFile.absent(file, "/x/sh").apply(false);

        assertThat(Files.readString(file)).isEqualTo("/bin/sh\n/bin/bash\n");
    }

    @Test
    void aMissingFileIsCreatedWithTheLine() throws Exception {
        Path file = dir.resolve("etc/shells");

        assertThat(LineInFile.present(file, "/x/sh").apply(true).changed()).isTrue();
        assertThat(file).doesNotExist();
        LineInFile.present(file, "/x/sh").apply(false);
        assertThat(Files.readString(file)).isEqualTo("/x/sh\n");
    }
}
