package io.roomgate.edge;

/** Daily's error body: {@code {"error": "<type>", "info": "<human text>"}}. */
public record ApiError(String error, String info) {
}
