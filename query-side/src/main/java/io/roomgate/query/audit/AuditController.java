package io.roomgate.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.roomgate.edge.Caller;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * {@code GET /v1/audit/events} for auditors: a page of the event history as JSON
 * ({@code {"data": [...], "next": position|null}}), or with {@code Accept: application/x-ndjson}
 * the whole of it (or up to {@code limit}) streamed as JSON Lines, one entry per line, in
 * constant memory.
 */
@RestController
@RequiresScope(Scope.AUDIT)
public class AuditController {

    public static final String NDJSON = "application/x-ndjson";

    private static final Logger log = LoggerFactory.getLogger(AuditController.class);
    private static final int FLUSH_EVERY = AuditLog.CHUNK;

    private final AuditLog audit;
    private final ObjectWriter lineWriter;
    private final Duration exportTimeout;

    public AuditController(AuditLog audit, ObjectMapper mapper,
                           io.roomgate.query.QuerySideProperties properties) {
        this.audit = audit;
        this.lineWriter = mapper.writer().without(SerializationFeature.INDENT_OUTPUT)
                .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        this.exportTimeout = properties.audit().exportTimeout();
    }

    @GetMapping("/v1/audit/events")
    public AuditLog.Page events(@RequestParam MultiValueMap<String, String> params) {
        return audit.page(AuditQuery.parse(params, false));
    }

    @GetMapping(value = "/v1/audit/events", produces = NDJSON)
    public ResponseEntity<StreamingResponseBody> export(@RequestParam MultiValueMap<String, String> params,
                                                        HttpServletRequest request) {
        AuditQuery query = AuditQuery.parse(params, true);
        String actor = Caller.current().keyId();
        StreamingResponseBody body = out -> {
            // an export of millions of events outlasts the container's default async timeout
            if (request.isAsyncStarted()) {
                request.getAsyncContext().setTimeout(exportTimeout.toMillis());
            }
            long started = System.nanoTime();
            long written = write(query, out);
            log.info("audit export for {}: {} events in {} ms", actor, written, (System.nanoTime() - started) / 1_000_000);
        };
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(NDJSON))
                .cacheControl(CacheControl.noStore())
                .body(body);
    }

    private long write(AuditQuery query, OutputStream target) throws IOException {
        OutputStream out = new BufferedOutputStream(target, 64 * 1024);
        long[] n = {0};
        try {
            audit.export(query, entry -> {
                try {
                    out.write(lineWriter.writeValueAsBytes(entry));
                    out.write('\n');
                    if (++n[0] % FLUSH_EVERY == 0) {
                        out.flush();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            // the client went away: stop reading the store
            log.info("audit export stopped after {} events: {}", n[0], e.getCause().getMessage());
            throw e.getCause();
        }
        out.flush();
        return n[0];
    }
}
