package io.roomgate.token;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The domain's HS256 keys by key id. One signs; all verify, so a key can be rotated: add the new
 * key, make it the signing one, drop the old one once its tokens have expired.
 */
public final class SigningKeys {

    /** HS256 needs a key at least as long as its 256-bit output. */
    public static final int MIN_KEY_BYTES = 32;

    private final Map<String, byte[]> keys;
    private final String signingKeyId;

    public SigningKeys(Map<String, byte[]> keys, String signingKeyId) {
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("no meeting-token signing key configured");
        }
        Map<String, byte[]> copy = new LinkedHashMap<>();
        keys.forEach((kid, key) -> {
            if (kid == null || kid.isBlank()) {
                throw new IllegalArgumentException("a signing key needs a key id");
            }
            if (key == null || key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("signing key '" + kid + "' is shorter than 256 bits");
            }
            copy.put(kid, key.clone());
        });
        if (!copy.containsKey(signingKeyId)) {
            throw new IllegalArgumentException("the signing key id '" + signingKeyId + "' names no configured key");
        }
        this.keys = Collections.unmodifiableMap(copy);
        this.signingKeyId = signingKeyId;
    }

    public String signingKeyId() {
        return signingKeyId;
    }

    byte[] signingKey() {
        return keys.get(signingKeyId);
    }

    byte[] key(String keyId) {
        return keys.get(keyId);
    }

    java.util.Set<String> keyIds() {
        return keys.keySet();
    }

    @Override
    public String toString() {
        return "SigningKeys" + keys.keySet() + " signing with " + signingKeyId;
    }
}
