package io.roomgate.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** The one place an error body is written outside Spring MVC (servlet filters). */
public final class ErrorWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorWriter() {
    }

    public static void write(HttpServletResponse response, ApiException error) throws IOException {
        response.resetBuffer();
        response.setStatus(error.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), error.body());
    }
}
