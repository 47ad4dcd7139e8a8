package io.roomgate.app.admin;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/** Hand-made JWTs for the tests that need what no library will sign: other algs, tampering, {@code none}. */
final class RawJwt {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder D64 = Base64.getUrlDecoder();

    private RawJwt() {
    }

    static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String part) {
        return new String(D64.decode(part), StandardCharsets.UTF_8);
    }

    /** header.payload signed with HMAC ({@code HmacSHA256}, {@code HmacSHA512}, ...). */
    static String hmac(String headerJson, String payloadJson, String macAlgorithm, byte[] key) {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        return signingInput + "." + B64.encodeToString(mac(macAlgorithm, key, signingInput));
    }

    static byte[] mac(String macAlgorithm, byte[] key, String input) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, macAlgorithm));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String[] parts(String token) {
        return token.split("\\.");
    }
}
