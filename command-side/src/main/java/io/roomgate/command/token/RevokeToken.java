package io.roomgate.command.token;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Refuse a token from now on; it may be one roomgate never issued (self-signed). */
public record RevokeToken(@TargetAggregateIdentifier String tokenId) {
}
