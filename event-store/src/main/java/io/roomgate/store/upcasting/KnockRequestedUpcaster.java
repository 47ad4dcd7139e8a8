package io.roomgate.store.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomgate.events.KnockRequested;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

/** {@code KnockRequested} revision 1 → 2: the knocker's {@code user_id} did not exist yet, so it is null. */
public class KnockRequestedUpcaster extends SingleEventUpcaster {

    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType(KnockRequested.class.getName(), "1");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(
                new SimpleSerializedType(KnockRequested.class.getName(), "2"),
                JsonNode.class,
                payload -> {
                    ((ObjectNode) payload).putNull("user_id");
                    return payload;
                });
    }
}
