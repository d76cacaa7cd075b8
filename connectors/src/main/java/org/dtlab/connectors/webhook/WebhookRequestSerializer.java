package org.dtlab.connectors.webhook;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes buffered webhook requests into checkpoints. Version 1: four length-prefixed strings and
 * the attempt count.
 */
public final class WebhookRequestSerializer extends AsyncSinkWriterStateSerializer<WebhookRequest> {

    static final int VERSION = 1;

    @Override
    protected void serializeRequestToStream(WebhookRequest request, DataOutputStream out)
            throws IOException {
        writeString(out, request.eventId());
        writeString(out, request.webhook());
        writeString(out, request.url());
        writeString(out, request.payload());
        out.writeInt(request.attempts());
    }

    @Override
    protected WebhookRequest deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        return new WebhookRequest(
                readString(in), readString(in), readString(in), readString(in), in.readInt());
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
