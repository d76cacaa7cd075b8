package org.dtlab.connectors.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.dtlab.model.event.RawRecord;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a Kafka record into a {@link RawRecord} without ever throwing: a record too large or not
 * UTF-8 is delivered with a {@code defect} (and the start of its payload), so it becomes a reject
 * with its topic, partition and offset instead of failing the source.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {

    private static final long serialVersionUID = 1L;

    /** How much of a defective record's payload is kept for the reject row. */
    static final int DEFECT_PAYLOAD_BYTES = 1024;

    private final int maxRecordBytes;

    public RawRecordDeserializer(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        String origin = record.topic() + "/" + record.partition() + "@" + record.offset();
        String key = record.key() == null ? null : lenient(record.key(), record.key().length);
        byte[] value = record.value();
        if (value == null) {
            out.collect(RawRecord.of(origin, key, null, record.timestamp()));
            return;
        }
        if (value.length > maxRecordBytes) {
            out.collect(
                    new RawRecord(
                            origin,
                            key,
                            lenient(value, DEFECT_PAYLOAD_BYTES),
                            record.timestamp(),
                            "record too large: "
                                    + value.length
                                    + " bytes (limit "
                                    + maxRecordBytes
                                    + ")"));
            return;
        }
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            out.collect(
                    RawRecord.of(
                            origin,
                            key,
                            decoder.decode(ByteBuffer.wrap(value)).toString(),
                            record.timestamp()));
        } catch (CharacterCodingException e) {
            out.collect(
                    new RawRecord(
                            origin,
                            key,
                            lenient(value, DEFECT_PAYLOAD_BYTES),
                            record.timestamp(),
                            "record is not UTF-8 text"));
        }
    }

    private static String lenient(byte[] bytes, int limit) {
        return new String(bytes, 0, Math.min(bytes.length, limit), StandardCharsets.UTF_8);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
