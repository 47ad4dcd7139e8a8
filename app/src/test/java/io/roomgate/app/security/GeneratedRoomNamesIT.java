package io.roomgate.app.security;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.app.reliability.Summary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room created without a name gets one that cannot be guessed (access rules §1: at least 20
 * characters of [A-Za-z0-9] from a SecureRandom, at least 119 bits): over 500 draws, every name
 * has the length and alphabet, none repeats, and the characters are spread over the whole
 * alphabet as a uniform draw spreads them (a counter, a clock or a narrow alphabet fails here).
 */
@RoomgateTest
class GeneratedRoomNamesIT extends WithEmbeddedApp {

    static final int DRAWS = 500;
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @Test
    void five_hundred_generated_names_are_long_random_and_distinct() {
        // without a body's name, with an empty body and with properties only; four clients at a time
        List<String> names = java.util.stream.IntStream.range(0, DRAWS).parallel().mapToObj(i -> {
            String body = i % 3 == 0 ? "{}" : i % 3 == 1 ? "{\"privacy\":\"private\"}" : "{\"properties\":{\"max_participants\":5}}";
            Api.Answer a = api.createRoom(body);
            assertThat(a.status()).as(a.raw()).isEqualTo(200);
            return a.text("name");
        }).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
        int minLength = Integer.MAX_VALUE;
        for (String name : names) {
            assertThat(name).matches("[A-Za-z0-9]{20,}");
            minLength = Math.min(minLength, name.length());
        }
        Set<String> distinct = new HashSet<>(names);
        assertThat(distinct).as("no name repeats").hasSize(DRAWS);
        // no two names share a 10-character run: independent draws share one with odds of about 2^-50
        Set<String> runs = new HashSet<>();
        int sharedRuns = 0;
        for (String name : names) {
            Set<String> own = new HashSet<>();
            for (int i = 0; i + 10 <= name.length(); i++) {
                own.add(name.substring(i, i + 10));
            }
            for (String r : own) {
                if (!runs.add(r)) {
                    sharedRuns++;
                }
            }
        }
        assertThat(sharedRuns).as("10-character runs shared between names").isZero();

        // every symbol of the alphabet shows, at every position class, and the counts pass a chi-square test
        long[] counts = new long[ALPHABET.length()];
        Set<Character> firsts = new HashSet<>();
        long total = 0;
        for (String name : names) {
            firsts.add(name.charAt(0));
            for (char c : name.toCharArray()) {
                counts[ALPHABET.indexOf(c)]++;
                total++;
            }
        }
        double expected = (double) total / ALPHABET.length();
        double chi2 = 0;
        for (long c : counts) {
            assertThat(c).as("every character of [A-Za-z0-9] occurs").isPositive();
            chi2 += (c - expected) * (c - expected) / expected;
        }
        // 61 degrees of freedom: the 1-in-500,000 critical value is about 130
        assertThat(chi2).as("chi-square of the character counts (61 degrees of freedom)").isLessThan(130);
        assertThat(firsts.size()).as("distinct first characters over 500 names").isGreaterThan(50);
        double bits = minLength * (Math.log(ALPHABET.length()) / Math.log(2));
        assertThat(bits).isGreaterThanOrEqualTo(119);
        Summary.line("room-names", DRAWS + " generated names, length >= " + minLength + " (" + String.format("%.0f", bits)
                + " bits), alphabet [A-Za-z0-9], 0 repeats, chi-square " + String.format("%.1f", chi2) + " (< 130, 61 df)");
    }
}
