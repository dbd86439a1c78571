package io.loggia.tools.dump;

import io.loggia.codec.record.Record;
import io.loggia.codec.record.RecordBatch;
import io.loggia.codec.record.RecordHeader;
import org.agrona.DirectBuffer;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Prints one record as {@code kafka-dump-log --deep-iteration} does, a line starting with {@code |}:
 * <pre>
 * | offset: 7 CreateTime: 1700000000003 keySize: 3 valueSize: 5 sequence: -1 headerKeys: [trace,span] key: abc ...
 * </pre>
 * Control records add {@code endTxnMarker: COMMIT coordinatorEpoch: 5} (or {@code controlType: NAME(id)}) and
 * never print key or payload. With {@code --print-data-log}, a key or value that is UTF-8 text without control
 * characters is printed as it is; anything else is printed as {@code <N bytes, hex below>} followed by a hex
 * dump, each line prefixed {@code |   key} or {@code |   payload}. A null key or value is not printed.
 */
final class RecordPrinter
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    private static final String[] CONTROL_TYPES =
    {
        "ABORT", "COMMIT", "LEADER_CHANGE", "SNAPSHOT_HEADER", "SNAPSHOT_FOOTER", "KRAFT_VERSION", "KRAFT_VOTERS"
    };
    private static final int CONTROL_KEY_LENGTH = 4;
    private static final int END_TXN_MARKER_VALUE_LENGTH = 6;

    private final RecordHeader header = new RecordHeader();
    private final StringBuilder line = new StringBuilder(256);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);

    /**
     * @param batch        the batch the record belongs to: base offset, timestamps, sequence, control flag.
     * @param record       the record, wrapped.
     * @param printContent print key and payload (not for control records).
     */
    void print(final PrintStream out, final RecordBatch batch, final Record record, final boolean printContent)
    {
        final StringBuilder line = this.line;
        line.setLength(0);
        final boolean logAppendTime = batch.isLogAppendTime();
        final long timestamp = logAppendTime ? batch.maxTimestamp() : record.timestamp(batch.baseTimestamp());
        line.append("| offset: ").append(record.logOffset(batch.baseOffset()))
            .append(logAppendTime ? " LogAppendTime: " : " CreateTime: ").append(timestamp)
            .append(" keySize: ").append(record.keyLength())
            .append(" valueSize: ").append(record.valueLength())
            .append(" sequence: ").append(sequence(batch.baseSequence(), record.offsetDelta()))
            .append(" headerKeys: [");
        record.headers(header);
        boolean first = true;
        while (header.next())
        {
            line.append(first ? "" : ",").append(header.key());
            first = false;
        }
        line.append(']');

        final boolean control = batch.isControlBatch();
        if (control)
        {
            appendControl(line, record);
        }

        byte[] binaryKey = null;
        byte[] binaryValue = null;
        if (printContent && !control)
        {
            if (record.hasKey())
            {
                binaryKey = appendContent(line, " key: ", record.key());
            }
            if (record.hasValue())
            {
                binaryValue = appendContent(line, " payload: ", record.value());
            }
        }
        out.println(line);
        printHex(out, "|   key ", binaryKey);
        printHex(out, "|   payload ", binaryValue);
    }

    /**
     * Sequence number of the record at {@code offsetDelta}: the base sequence plus the delta, wrapping as Kafka's
     * producer does.
     */
    static int sequence(final int baseSequence, final int offsetDelta)
    {
        if (RecordBatch.NO_SEQUENCE == baseSequence)
        {
            return RecordBatch.NO_SEQUENCE;
        }
        return baseSequence > Integer.MAX_VALUE - offsetDelta ?
            offsetDelta - (Integer.MAX_VALUE - baseSequence) - 1 : baseSequence + offsetDelta;
    }

    /** The text of {@code bytes} if it is UTF-8 without control characters, else null. */
    String textOrNull(final byte[] bytes)
    {
        final String text;
        try
        {
            text = utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            return null;
        }
        for (int i = 0; i < text.length(); i++)
        {
            if (Character.isISOControl(text.charAt(i)))
            {
                return null;
            }
        }
        return text;
    }

    /** Appends the content as text and returns null, or a placeholder and returns the bytes to dump. */
    private byte[] appendContent(final StringBuilder line, final String label, final byte[] bytes)
    {
        line.append(label);
        final String text = textOrNull(bytes);
        if (null != text)
        {
            line.append(text);
            return null;
        }
        line.append('<').append(bytes.length).append(" bytes, hex below>");
        return bytes;
    }

    private static void printHex(final PrintStream out, final String prefix, final byte[] bytes)
    {
        if (null == bytes)
        {
            return;
        }
        final List<String> lines = HexDump.lines(bytes);
        for (final String hexLine : lines)
        {
            out.print(prefix);
            out.println(hexLine);
        }
    }

    /**
     * Control record key: version (int16), type (int16). Transaction markers (ABORT, COMMIT) carry
     * version (int16) and coordinator epoch (int32) in the value.
     */
    private static void appendControl(final StringBuilder line, final Record record)
    {
        final DirectBuffer buffer = record.buffer();
        if (record.keyLength() < CONTROL_KEY_LENGTH)
        {
            line.append(" controlType: unreadable (key of ").append(record.keyLength()).append(" bytes)");
            return;
        }
        final short type = buffer.getShort(record.keyOffset() + 2, ORDER);
        final String name = type >= 0 && type < CONTROL_TYPES.length ? CONTROL_TYPES[type] : "UNKNOWN";
        if (type <= 1 && type >= 0)
        {
            line.append(" endTxnMarker: ").append(name).append(" coordinatorEpoch: ");
            if (record.valueLength() >= END_TXN_MARKER_VALUE_LENGTH)
            {
                line.append(buffer.getInt(record.valueOffset() + 2, ORDER));
            }
            else
            {
                line.append("unreadable (value of ").append(record.valueLength()).append(" bytes)");
            }
        }
        else
        {
            line.append(" controlType: ").append(name).append('(').append(type).append(')');
        }
    }
}
