package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.ValidationException;

/** Where a webhook POSTs: {@code (tls ? https : http)://host:port/path}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookTarget(
        String host, Integer port, String path, Boolean tls, String clientCertificate) {

    public WebhookTarget {
        if (host == null || host.isBlank()) {
            throw new ValidationException("webhook target host is required");
        }
        if (port == null || port < 1 || port > 65535) {
            throw new ValidationException("webhook target port must be 1-65535");
        }
        path = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        tls = tls != null && tls;
    }

    /** The URL the webhook sink POSTs to. */
    public String url() {
        return (Boolean.TRUE.equals(tls) ? "https" : "http") + "://" + host + ":" + port + path;
    }
}
