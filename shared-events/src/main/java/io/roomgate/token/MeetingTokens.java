package io.roomgate.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.roomgate.access.PresentedToken;
import io.roomgate.events.MeetingTokenClaims;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Signs and verifies meeting tokens: HS256 JWTs with Daily's short claim names
 * ({@code r} room_name, {@code o} is_owner, {@code u} user_name, {@code ud} user_id,
 * {@code k} knocking, {@code ejt} eject_at_token_exp, {@code eje} eject_after_elapsed,
 * {@code p} permissions, {@code d} domain id). Verification checks form, algorithm, signature
 * and domain only; time, room and revocation are the join decision's to judge.
 */
public final class MeetingTokens {

    /** Longer than any token roomgate issues by far; refuses junk before parsing it. */
    public static final int MAX_TOKEN_CHARS = 8192;

    private static final Set<String> SHORT_CLAIMS = Set.of("r", "o", "u", "ud", "k", "ejt", "eje", "p", "d",
            "exp", "nbf", "iat", "jti");

    private final SigningKeys keys;
    private final String domainId;
    /** One verifier per key id, built once (a verifier holds only its key; verifying is thread-safe). */
    private final Map<String, MACVerifier> verifiers = new java.util.LinkedHashMap<>();

    public MeetingTokens(SigningKeys keys, String domainId) {
        if (domainId == null || domainId.isBlank()) {
            throw new IllegalArgumentException("a domain id is required");
        }
        this.keys = keys;
        this.domainId = domainId;
        for (String keyId : keys.keyIds()) {
            try {
                verifiers.put(keyId, new MACVerifier(keys.key(keyId)));
            } catch (JOSEException e) {
                throw new IllegalArgumentException("signing key " + keyId + " cannot verify HS256", e);
            }
        }
    }

    public String domainId() {
        return domainId;
    }

    public String signingKeyId() {
        return keys.signingKeyId();
    }

    /** Signs a token for {@code claims}, with {@code jti} as its id. The result goes to the issuer only. */
    public String issue(MeetingTokenClaims claims, String jti, Instant issuedAt) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        // other properties first and never under a claim name roomgate controls
        claims.other().forEach((name, value) -> {
            if (!SHORT_CLAIMS.contains(name)) {
                b.claim(name, value);
            }
        });
        b.jwtID(jti).issueTime(Date.from(issuedAt)).claim("d", domainId);
        if (claims.roomName() != null) b.claim("r", claims.roomName());
        if (claims.exp() != null) b.expirationTime(new Date(claims.exp() * 1000));
        if (claims.nbf() != null) b.notBeforeTime(new Date(claims.nbf() * 1000));
        if (claims.owner()) b.claim("o", true);
        if (claims.userName() != null) b.claim("u", claims.userName());
        if (claims.userId() != null) b.claim("ud", claims.userId());
        if (claims.knocking()) b.claim("k", true);
        if (claims.ejectAtTokenExp()) b.claim("ejt", true);
        if (claims.ejectAfterElapsed() != null) b.claim("eje", claims.ejectAfterElapsed());
        if (!claims.permissions().isEmpty()) b.claim("p", claims.permissions());
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(JOSEObjectType.JWT)
                .keyID(keys.signingKeyId())
                .build();
        SignedJWT jwt = new SignedJWT(header, b.build());
        try {
            jwt.sign(new MACSigner(keys.signingKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a meeting token", e);
        }
        return jwt.serialize();
    }

    /** Checks form, algorithm, signature and domain. Never throws for a bad token and never echoes it. */
    public PresentedToken verify(String token) {
        if (token == null) {
            return PresentedToken.NONE;
        }
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return new PresentedToken.Invalid("malformed");
        }
        if (!isCanonical(token)) {
            // one token, one spelling: its SHA-256 id must not be dodged by re-encoding it
            return new PresentedToken.Invalid("malformed");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            return new PresentedToken.Invalid("malformed");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            return new PresentedToken.Invalid("algorithm is not HS256");
        }
        if (!signatureVerifies(jwt)) {
            return new PresentedToken.Invalid("signature does not verify");
        }
        try {
            JWTClaimsSet set = claimsSetOf(token);
            if (!domainId.equals(set.getClaim("d"))) {
                return new PresentedToken.Invalid("issued for another domain");
            }
            if (set.getJWTID() != null && !isPrintableId(set.getJWTID())) {
                // a token id must fit the revocation list: one that cannot be revoked is refused
                return new PresentedToken.Invalid("token id is not 1-128 printable characters");
            }
            String tokenId = set.getJWTID() != null ? set.getJWTID() : sha256Hex(token);
            return new PresentedToken.Verified(tokenId, claimsOf(set));
        } catch (ParseException | ClassCastException | ArithmeticException | IllegalArgumentException e) {
            return new PresentedToken.Invalid("claims of the wrong type");
        }
    }

    /**
     * The claims of a token whose form and signature have been checked: what
     * {@code SignedJWT.getJWTClaimsSet()} returns (the same JSON parser, the same claims parser),
     * but with the payload decoded by the JDK's base64url decoder instead of nimbus's
     * constant-time one. Constant time protects secrets; a verified payload is no secret to the
     * one who presents it, and that decoder was 13 % of a join check's request time (BENCHMARKS.md, row 1).
     * The canonical-form check guarantees both decoders read the same bytes.
     */
    private static JWTClaimsSet claimsSetOf(String token) throws ParseException {
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        String json = new String(Base64.getUrlDecoder().decode(token.substring(first + 1, second)), StandardCharsets.UTF_8);
        Map<String, Object> object;
        try {
            object = JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            object = null;
        }
        if (object == null) { // as getJWTClaimsSet: JSON that is no object (e.g. "null") is refused
            throw new ParseException("Payload of JWS object is not a valid JSON object", 0);
        }
        return JWTClaimsSet.parse(object);
    }

    /** A token's id without verifying it: its {@code jti}, or the SHA-256 of its text when it has none. */
    public static String tokenIdOf(String token) {
        if (!isCanonical(token)) {
            return sha256Hex(token);
        }
        try {
            String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
            if (jti != null) {
                return jti;
            }
        } catch (ParseException | RuntimeException e) {
            // not a JWT: its hash still identifies it
        }
        return sha256Hex(token);
    }

    /**
     * Three unpadded base64url parts, each exactly as it re-encodes (no stray trailing bits), in
     * one pass: a part re-encodes to itself exactly when its length mod 4 is not 1 and the bits of
     * its last character that encode no byte are zero.
     */
    static boolean isCanonical(String token) {
        int parts = 0;
        int length = 0;
        for (int i = 0; i <= token.length(); i++) {
            char c = i < token.length() ? token.charAt(i) : '.';
            if (c == '.') {
                if (length == 0 || !canonicalEnd(token.charAt(i - 1), length)) {
                    return false;
                }
                parts++;
                length = 0;
            } else if (sextet(c) < 0) {
                return false;
            } else {
                length++;
            }
        }
        return parts == 3;
    }

    private static boolean canonicalEnd(char last, int length) {
        int bits = sextet(last);
        return switch (length % 4) {
            case 0 -> true;
            case 2 -> (bits & 0x0F) == 0;
            case 3 -> (bits & 0x03) == 0;
            default -> false;
        };
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }

    /** 1 to 128 printable ASCII characters (0x21-0x7e), as a revocation list entry must be. */
    private static boolean isPrintableId(String id) {
        if (id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private boolean signatureVerifies(SignedJWT jwt) {
        String kid = jwt.getHeader().getKeyID();
        try {
            if (kid != null) {
                MACVerifier verifier = verifiers.get(kid);
                return verifier != null && jwt.verify(verifier);
            }
            for (MACVerifier verifier : verifiers.values()) {
                if (jwt.verify(verifier)) {
                    return true;
                }
            }
            return false;
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private static MeetingTokenClaims claimsOf(JWTClaimsSet set) throws ParseException {
        Map<String, Object> other = new HashMap<>();
        set.getClaims().forEach((name, value) -> {
            if (!SHORT_CLAIMS.contains(name)) {
                other.put(name, value);
            }
        });
        Map<String, Object> permissions = set.getJSONObjectClaim("p");
        Long eje = set.getLongClaim("eje");
        return new MeetingTokenClaims(
                set.getStringClaim("r"),
                epochSeconds(set.getExpirationTime()),
                epochSeconds(set.getNotBeforeTime()),
                Boolean.TRUE.equals(set.getBooleanClaim("o")),
                set.getStringClaim("u"),
                set.getStringClaim("ud"),
                Boolean.TRUE.equals(set.getBooleanClaim("ejt")),
                eje,
                Boolean.TRUE.equals(set.getBooleanClaim("k")),
                permissions == null ? Map.of() : normalise(permissions),
                other);
    }

    private static Map<String, Object> normalise(Map<String, Object> permissions) {
        Map<String, Object> copy = new HashMap<>(permissions);
        copy.replaceAll((k, v) -> v instanceof Collection<?> c ? List.copyOf(c) : v);
        return copy;
    }

    private static Long epochSeconds(Date date) {
        return date == null ? null : date.getTime() / 1000;
    }

    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
