package io.loggia.tools.dump;

import net.openhft.chronicle.bytes.Bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * Hex dumps of binary keys and values, one string per line of 16 bytes:
 * <pre>
 *   00000000 de ad be ef 00 01 02 03  04 05 06 07 08 09 0a 0b ········ ········
 *   ^ offset ^ 8 bytes                ^ 8 bytes               ^ printable ASCII, · otherwise
 * </pre>
 * chronicle-bytes formats them. It needs the JVM flags the {@code ./loggia} launcher passes
 * ({@code --add-opens ...}); run without them it cannot initialise, and the same layout is produced here
 * instead, so the dump never fails for want of a flag.
 */
final class HexDump
{
    private static final int BYTES_PER_LINE = 16;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char NOT_PRINTABLE = '\u00b7';

    private static boolean chronicleUnusable;

    private HexDump()
    {
    }

    /** Lines of the dump of {@code bytes}, trailing blanks removed; none for an empty array. */
    static List<String> lines(final byte[] bytes)
    {
        if (0 == bytes.length)
        {
            return List.of();
        }
        if (!chronicleUnusable)
        {
            try
            {
                return split(chronicle(bytes));
            }
            catch (final LinkageError | RuntimeException ex)
            {
                // missing --add-opens: chronicle's static initialisation fails, and would again on every call
                chronicleUnusable = true;
            }
        }
        return plainLines(bytes);
    }

    /** The same layout without chronicle-bytes. */
    static List<String> plainLines(final byte[] bytes)
    {
        final List<String> lines = new ArrayList<>(bytes.length / BYTES_PER_LINE + 1);
        final StringBuilder line = new StringBuilder(80);
        for (int start = 0; start < bytes.length; start += BYTES_PER_LINE)
        {
            line.setLength(0);
            for (int shift = 28; shift >= 0; shift -= 4)
            {
                line.append(HEX[(start >>> shift) & 0xF]);
            }
            final int end = Math.min(start + BYTES_PER_LINE, bytes.length);
            for (int i = start; i < start + BYTES_PER_LINE; i++)
            {
                line.append(i - start == 8 ? "  " : " ");
                if (i < end)
                {
                    line.append(HEX[(bytes[i] >>> 4) & 0xF]).append(HEX[bytes[i] & 0xF]);
                }
                else
                {
                    line.append("  ");
                }
            }
            line.append(' ');
            for (int i = start; i < end; i++)
            {
                if (i - start == 8)
                {
                    line.append(' ');
                }
                final int b = bytes[i] & 0xFF;
                line.append(b >= 0x20 && b < 0x7F ? (char)b : NOT_PRINTABLE);
            }
            lines.add(stripTrailing(line));
        }
        return lines;
    }

    private static String chronicle(final byte[] bytes)
    {
        final Bytes<byte[]> wrapped = Bytes.wrapForRead(bytes);
        try
        {
            return wrapped.toHexString(0, bytes.length);
        }
        finally
        {
            wrapped.releaseLast();
        }
    }

    private static List<String> split(final String dump)
    {
        final List<String> lines = new ArrayList<>();
        final StringBuilder line = new StringBuilder(80);
        for (int i = 0; i < dump.length(); i++)
        {
            final char c = dump.charAt(i);
            if ('\n' == c)
            {
                addIfNotBlank(lines, line);
            }
            else
            {
                line.append(c);
            }
        }
        addIfNotBlank(lines, line);
        return lines;
    }

    private static void addIfNotBlank(final List<String> lines, final StringBuilder line)
    {
        final String stripped = stripTrailing(line);
        if (!stripped.isEmpty())
        {
            lines.add(stripped);
        }
        line.setLength(0);
    }

    private static String stripTrailing(final StringBuilder line)
    {
        int end = line.length();
        while (end > 0 && Character.isWhitespace(line.charAt(end - 1)))
        {
            end--;
        }
        return line.substring(0, end);
    }
}
