package io.roomgate.command.room;

import io.roomgate.access.Rejected;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Room names: what a valid one looks like, and how an unguessable one is made. */
public final class RoomNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** 20 characters of 62 is 119.08 bits: a generated URL cannot be guessed. */
    public static final int GENERATED_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RoomNames() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    public static void requireValid(String name) {
        if (!isValid(name)) {
            throw Rejected.invalid("room name must be 1-128 characters of A-Z, a-z, 0-9, '-' and '_'");
        }
    }

    /** A name nobody can guess, for rooms created without one (Daily's one-time-use workflow). */
    public static String generate() {
        char[] name = new char[GENERATED_LENGTH];
        for (int i = 0; i < name.length; i++) {
            name[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(name);
    }
}
