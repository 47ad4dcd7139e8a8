package io.roomgate.command.room;

import java.security.SecureRandom;

/** How an unguessable room name is made (what a valid one looks like is {@link io.roomgate.access.RoomName}). */
public final class RoomNames {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** 20 characters of 62 is 119.08 bits: a generated URL cannot be guessed. */
    public static final int GENERATED_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RoomNames() {
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
