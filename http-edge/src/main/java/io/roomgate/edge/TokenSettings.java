package io.roomgate.edge;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Meeting-token configuration: {@code roomgate.tokens.domain-id}, {@code roomgate.tokens.keys.<kid>}
 * (base64, at least 256 bits each) and {@code roomgate.tokens.signing-key-id}. No defaults: a
 * service without a key refuses to start and says which property to set.
 */
@ConfigurationProperties("roomgate.tokens")
public class TokenSettings {

    private String domainId;
    private Map<String, String> keys = new LinkedHashMap<>();
    private String signingKeyId;

    public String getDomainId() { return domainId; }
    public void setDomainId(String domainId) { this.domainId = domainId; }
    public Map<String, String> getKeys() { return keys; }
    public void setKeys(Map<String, String> keys) { this.keys = keys; }
    public String getSigningKeyId() { return signingKeyId; }
    public void setSigningKeyId(String signingKeyId) { this.signingKeyId = signingKeyId; }

    @Override
    public String toString() {
        return "TokenSettings[domain " + domainId + ", keys " + keys.keySet() + ", signing " + signingKeyId + "]";
    }
}
