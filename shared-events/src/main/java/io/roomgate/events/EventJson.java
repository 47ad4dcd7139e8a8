package io.roomgate.events;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one ObjectMapper configuration for stored events and their metadata. Private to the
 * event store: the web layer's JSON settings can never change what is written to the store.
 */
public final class EventJson {

    private EventJson() {
    }

    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // old events must stay readable when a later revision adds a field
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /**
     * The events' mapper for aggregate snapshots, which are an aggregate's private fields: it
     * reads and writes fields, never getters or setters (aggregates have none). Still no default
     * typing: every field has a declared type, and a {@code Map<String, Object>} of Daily's
     * free-form properties comes back as the same plain JSON values its event gave. A {@code Set}
     * keeps its order, as the aggregate's own {@code LinkedHashSet} did. Unlike events, a field it
     * does not know fails the read: a snapshot is a cache, and the aggregate is then read from its
     * events instead.
     */
    public static ObjectMapper newSnapshotMapper() {
        ObjectMapper mapper = newMapper()
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return mapper.registerModule(new SimpleModule("snapshot-collections")
                .addAbstractTypeMapping(Set.class, LinkedHashSet.class));
    }
}
