package io.roomgate.app.security;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What must never show outside the configuration and the one answer that hands a token out. */
final class SecretScan {

    /** A compact JWS whose header is JSON (starts with {@code {"}): the shape of every meeting token. */
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}");

    private SecretScan() {
    }

    /** The configured API keys and signing keys, each in every spelling it could leak in. */
    static Set<String> configuredSecrets(Environment env) {
        Binder binder = Binder.get(env);
        Set<String> secrets = new LinkedHashSet<>();
        binder.bind("roomgate.api-keys", Bindable.listOf(Map.class)).orElse(List.of()).forEach(k -> {
            Object key = k.get("key");
            if (key != null && key.toString().length() >= 8) {
                secrets.add(key.toString());
            }
        });
        binder.bind("roomgate.tokens.keys", Bindable.mapOf(String.class, String.class)).orElse(Map.of())
                .values().forEach(b64 -> secrets.addAll(spellings(b64)));
        return secrets;
    }

    /** A base64 signing key as configured, as base64url, and as raw text if it is printable. */
    static List<String> spellings(String base64) {
        List<String> s = new ArrayList<>();
        s.add(base64.trim());
        byte[] raw = Base64.getDecoder().decode(base64.trim());
        s.add(Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        s.add(Base64.getEncoder().withoutPadding().encodeToString(raw));
        String latin = new String(raw, StandardCharsets.ISO_8859_1);
        if (latin.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            s.add(latin);
        }
        s.add(java.util.HexFormat.of().formatHex(raw));
        return s;
    }

    /** Which of {@code secrets} occur in {@code text}; described, never quoted. */
    static List<String> found(String where, String text, Collection<String> secrets) {
        List<String> hits = new ArrayList<>();
        if (text == null) {
            return hits;
        }
        for (String secret : secrets) {
            if (text.contains(secret)) {
                hits.add(where + " holds a secret (" + secret.length() + " chars, starting " + secret.substring(0, 4) + "…)");
            }
        }
        return hits;
    }

    /** Every JWT-shaped string in {@code text}. */
    static List<String> jwts(String text) {
        List<String> hits = new ArrayList<>();
        if (text != null) {
            Matcher m = JWT.matcher(text);
            while (m.find()) {
                hits.add(m.group());
            }
        }
        return hits;
    }
}
