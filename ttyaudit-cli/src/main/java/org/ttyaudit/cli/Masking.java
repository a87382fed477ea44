package org.ttyaudit.cli;

import org.ttyaudit.core.redact.MaskConfigException;
import org.ttyaudit.core.redact.SecretMasker;

import java.io.IOException;
import java.nio.file.Path;

/** Loads the secret-masking rules: a rules file when given, else the default pack. */
final class Masking {
    private Masking() {
    }

    static SecretMasker load(Path rulesFile) {
        if (rulesFile == null) {
            return SecretMasker.defaults();
        }
        try {
            return SecretMasker.load(rulesFile);
        } catch (MaskConfigException e) {
            throw UserError.usage(e.getMessage());
        } catch (IOException e) {
            throw UserError.usage(rulesFile + ": cannot read the masking rules: " + SessionRunner.reason(e));
        }
    }
}
