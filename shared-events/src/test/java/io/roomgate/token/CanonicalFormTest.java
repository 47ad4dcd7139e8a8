package io.roomgate.token;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MeetingTokens#isCanonical} is a one-pass check; it must give exactly the answer of the
 * plain definition (three non-empty unpadded base64url parts, each equal to its own re-encoding)
 * on everything: real tokens, tokens with a flipped last character, and random strings over the
 * base64url alphabet, dots and a few strangers.
 */
class CanonicalFormTest {

    /** The definition, slowly: what the one-pass check replaced. */
    static boolean byDefinition(String token) {
        if (!token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+")) {
            return false;
        }
        for (String part : token.split("\\.")) {
            try {
                byte[] bytes = Base64.getUrlDecoder().decode(part);
                if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(part)) {
                    return false;
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String STRANGERS = ".=+/ \u00e9\u0000";

    @Test
    void agrees_with_the_definition_on_200000_random_strings() {
        SplittableRandom random = new SplittableRandom(20261128);
        int canonical = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder s = new StringBuilder();
            if (random.nextInt(10) < 7) {
                // mostly token-shaped: three parts of 0-8 alphabet characters, sometimes a stranger inside
                for (int p = 0; p < 3; p++) {
                    if (p > 0) {
                        s.append('.');
                    }
                    int length = random.nextInt(0, 9);
                    for (int i = 0; i < length; i++) {
                        s.append(random.nextInt(100) < 98 ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                                : STRANGERS.charAt(random.nextInt(STRANGERS.length())));
                    }
                }
            } else {
                int length = random.nextInt(0, 24);
                for (int i = 0; i < length; i++) {
                    int pick = random.nextInt(100);
                    s.append(pick < 80 ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                            : pick < 95 ? '.' : STRANGERS.charAt(random.nextInt(STRANGERS.length())));
                }
            }
            String token = s.toString();
            assertThat(MeetingTokens.isCanonical(token)).as("'%s'", token).isEqualTo(byDefinition(token));
            canonical += byDefinition(token) ? 1 : 0;
        }
        assertThat(canonical).as("random strings that are canonical (the check must see both answers)").isGreaterThan(1_000);
    }

    @Test
    void agrees_on_every_last_character_of_encoded_parts_of_every_length_mod_4() {
        SplittableRandom random = new SplittableRandom(7);
        for (int bytes = 1; bytes <= 12; bytes++) {
            byte[] data = new byte[bytes];
            random.nextBytes(data);
            String part = Base64.getUrlEncoder().withoutPadding().encodeToString(data);
            for (char last : ALPHABET.toCharArray()) {
                String token = "eyJhbGciOiJIUzI1NiJ9." + part.substring(0, part.length() - 1) + last + ".c2ln";
                assertThat(MeetingTokens.isCanonical(token)).as(token).isEqualTo(byDefinition(token));
            }
        }
    }
}
