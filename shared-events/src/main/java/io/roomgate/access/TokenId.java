package io.roomgate.access;

import java.util.regex.Pattern;

/**
 * A meeting token's id (its {@code jti}) as the store keeps it: 1-128 printable ASCII
 * characters, no space. The id is not a secret: the token is the signed string around it.
 */
public record TokenId(String value) {

    private static final Pattern VALID = Pattern.compile("[\\x21-\\x7e]{1,128}");

    public TokenId {
        if (!isValid(value)) {
            throw Rejected.invalid("jti must be 1-128 printable ASCII characters");
        }
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
