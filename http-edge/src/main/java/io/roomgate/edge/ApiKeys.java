package io.roomgate.edge;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys and their scopes, from configuration ({@code roomgate.api-keys[i].id|key|scopes}).
 * There is no default key: a service without keys refuses every request.
 */
@ConfigurationProperties("roomgate")
public class ApiKeys {

    public static class Key {
        private String id;
        private String key;
        private List<String> scopes = List.of();

        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public String getKey() { return key; }
        public void setKey(String key) { this.key = key; }
        public List<String> getScopes() { return scopes; }
        public void setScopes(List<String> scopes) { this.scopes = scopes; }

        Set<Scope> scopeSet() {
            Set<Scope> set = EnumSet.noneOf(Scope.class);
            scopes.forEach(s -> set.add(Scope.parse(s)));
            return set;
        }

        @Override
        public String toString() {
            return "ApiKey[" + id + " " + scopes + "]";
        }
    }

    /** A key that matched: its id and scopes. */
    public record Match(String id, Set<Scope> scopes) {
    }

    private List<Key> apiKeys = List.of();

    public List<Key> getApiKeys() { return apiKeys; }
    public void setApiKeys(List<Key> apiKeys) { this.apiKeys = apiKeys; }

    /** Compares against every configured key in constant time, so timing tells nothing about a near miss. */
    public Optional<Match> find(String presented) {
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        Match found = null;
        for (Key k : apiKeys) {
            if (k.getKey() == null) {
                continue;
            }
            boolean same = MessageDigest.isEqual(given, k.getKey().getBytes(StandardCharsets.UTF_8));
            if (same && found == null) {
                found = new Match(k.getId(), k.scopeSet());
            }
        }
        return Optional.ofNullable(found);
    }
}
