package io.loggia.net.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a seed into a damaged input. Structure-aware operators work on the {@link FieldMap}'s spans: lengths and
 * counts that lie (int16, int32, uvarint, overlong or null), fixed fields set to edge values (the header's API
 * key and version too), strings with bad UTF-8 or names no broker accepts, tagged-field sections with unknown,
 * repeated, disordered or oversized tags, array elements dropped or repeated (with or without the count
 * following), record batches damaged by {@link BatchMutator}, spans spliced from another seed. Byte-level
 * operators flip bits, set bytes, insert and delete runs, cut the frame short and append to it. One to three
 * structural operators apply from the end of the frame backwards, so each still finds its span where the walk
 * put it; byte-level ones apply last.
 */
final class Mutator
{
    private static final long[] EDGES_1 = {0, 1, 0x7F, 0x80, 0xFF, 2};
    private static final long[] EDGES_2 = {0, 1, -1, 0x7FFF, 0x8000, 0xFFFE, 0x100};
    private static final long[] EDGES_4 = {
        0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x10000, 0xFFFF, 1 << 20, Integer.MAX_VALUE - 1,
    };
    private static final long[] EDGES_8 = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, 1L << 40};
    private static final byte[][] BAD_STRINGS = {
        {(byte)0xC3, 0x28}, {(byte)0xFF}, {(byte)0xED, (byte)0xA0, (byte)0x80}, {0}, {(byte)0xF4, (byte)0x90, 0, 0},
        "..".getBytes(StandardCharsets.UTF_8), "__consumer_offsets".getBytes(StandardCharsets.UTF_8),
        "a/../b".getBytes(StandardCharsets.UTF_8), "x".repeat(300).getBytes(StandardCharsets.UTF_8),
        "%n%s".getBytes(StandardCharsets.UTF_8),
    };
    private static final byte[][] BAD_UVARINTS = {
        {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x0F},
        {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x7F},
        {(byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, 0x00},
        {(byte)0x81, (byte)0x80, (byte)0x80, (byte)0x80, 0x00},
        {(byte)0x80},
        {(byte)0xFE, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x07},
    };

    private final SplittableRandom random;
    private final BatchMutator batchMutator;

    Mutator(final SplittableRandom random)
    {
        this.random = random;
        this.batchMutator = new BatchMutator(random);
    }

    /** A damaged copy of {@code seed}; {@code donor} lends spans to splice. */
    FuzzInput mutate(final Seed seed, final Seed donor)
    {
        final StringBuilder what = new StringBuilder();
        byte[] frame = seed.frame;
        final List<Span> chosen = new ArrayList<>();
        final int structural = random.nextInt(10) < 8 ? 1 + random.nextInt(random.nextInt(4) == 0 ? 3 : 1) : 0;
        for (int i = 0; i < structural; i++)
        {
            final Span span = pickSpan(seed);
            if (null != span && chosen.stream().noneMatch(other -> overlaps(other, span)))
            {
                chosen.add(span);
            }
        }
        chosen.sort(Comparator.comparingInt((Span span) -> span.offset).reversed());
        for (final Span span : chosen)
        {
            frame = structural(frame, span, donor, what);
        }
        final int byteLevel = chosen.isEmpty() ? 1 + random.nextInt(3) : (random.nextInt(4) == 0 ? 1 : 0);
        for (int i = 0; i < byteLevel; i++)
        {
            frame = byteLevel(frame, what);
        }
        return new FuzzInput(frame, FuzzInput.MUTATED, seed.apiKey, seed.version, 0, what.toString().trim());
    }

    /** Byte-level damage only, to an input that is no longer well formed (an interesting one). */
    FuzzInput havoc(final Seed input, final String history)
    {
        final StringBuilder what = new StringBuilder(history.length() > 200 ? "..." : history).append(" | ");
        byte[] frame = input.frame;
        final int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++)
        {
            frame = byteLevel(frame, what);
        }
        return new FuzzInput(frame, FuzzInput.MUTATED, input.apiKey, input.version, 0, what.toString().trim());
    }

    /** A frame that is not made from any seed: noise, or a real header over a random body. */
    FuzzInput randomFrame(final Seed headerFrom)
    {
        final byte[] body = new byte[random.nextInt(random.nextInt(8) == 0 ? 2000 : 64)];
        random.nextBytes(body);
        if (random.nextBoolean() || headerFrom.fields.spans.size() < 5)
        {
            return new FuzzInput(body, FuzzInput.RANDOM, -1, (short)-1, 0, "random " + body.length);
        }
        int headerEnd = 0;
        for (final Span span : headerFrom.fields.spans)
        {
            if (span.name.equals("_tagged_fields") || span.name.equals("client_id"))
            {
                headerEnd = Math.max(headerEnd, span.end());
                if (span.name.equals("_tagged_fields"))
                {
                    break;
                }
            }
        }
        final byte[] frame = Arrays.copyOf(headerFrom.frame, headerEnd + body.length);
        System.arraycopy(body, 0, frame, headerEnd, body.length);
        return new FuzzInput(frame, FuzzInput.RANDOM, headerFrom.apiKey, headerFrom.version, 0,
            "header + random body " + body.length);
    }

    /** The seed as it is, with a size prefix that promises more or fewer bytes than follow. */
    FuzzInput framing(final Seed seed)
    {
        final int[] lies = {1, -1, 100, -seed.frame.length, 1 << 20, -seed.frame.length - 1};
        final int lie = lies[random.nextInt(lies.length)];
        return new FuzzInput(seed.frame, FuzzInput.MUTATED, seed.apiKey, seed.version, lie, "size-lie " + lie);
    }

    private Span pickSpan(final Seed seed)
    {
        final int kind;
        switch (random.nextInt(12))
        {
            case 0:
            case 1: kind = random.nextBoolean() ? Span.ARRAY : Span.COMPACT_ARRAY; break;
            case 2:
            case 3: kind = random.nextBoolean() ? Span.STRING : Span.COMPACT_STRING; break;
            case 4: kind = random.nextBoolean() ? Span.BYTES : Span.COMPACT_BYTES; break;
            case 5:
            case 6: kind = Span.FIXED; break;
            case 7: kind = Span.TAGGED_SECTION; break;
            case 8: kind = Span.TAGGED_FIELD; break;
            case 9: kind = Span.ELEMENT; break;
            default: kind = -1; break;
        }
        final List<Span> candidates = kind < 0 ? recordSpans(seed) : seed.fields.ofKind(kind);
        if (candidates.isEmpty())
        {
            final List<Span> all = seed.fields.spans;
            return all.get(random.nextInt(all.size()));
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    private static List<Span> recordSpans(final Seed seed)
    {
        final List<Span> records = new ArrayList<>();
        for (final Span span : seed.fields.ofKind(Span.BYTES))
        {
            if (span.records)
            {
                records.add(span);
            }
        }
        for (final Span span : seed.fields.ofKind(Span.COMPACT_BYTES))
        {
            if (span.records)
            {
                records.add(span);
            }
        }
        return records;
    }

    private byte[] structural(final byte[] frame, final Span span, final Seed donor, final StringBuilder what)
    {
        switch (span.kind)
        {
            case Span.FIXED:
                return fixed(frame, span, what);
            case Span.VARINT:
                what.append(span.name).append("-varint ");
                return replace(frame, span.offset, span.length, BAD_UVARINTS[random.nextInt(BAD_UVARINTS.length)]);
            case Span.STRING:
            case Span.COMPACT_STRING:
                return random.nextBoolean() ? lengthLie(frame, span, what) : stringContent(frame, span, what);
            case Span.BYTES:
            case Span.COMPACT_BYTES:
                if (span.records && span.value > 0 && random.nextInt(4) != 0)
                {
                    return records(frame, span, what);
                }
                return lengthLie(frame, span, what);
            case Span.ARRAY:
            case Span.COMPACT_ARRAY:
                return lengthLie(frame, span, what);
            case Span.ELEMENT:
                return element(frame, span, donor, what);
            case Span.TAGGED_SECTION:
                return taggedSection(frame, span, what);
            case Span.TAGGED_FIELD:
                return taggedField(frame, span, what);
            default:
                return frame;
        }
    }

    private byte[] fixed(final byte[] frame, final Span span, final StringBuilder what)
    {
        final int width = span.length;
        final long value;
        switch (width)
        {
            case 1: value = EDGES_1[random.nextInt(EDGES_1.length)]; break;
            case 2: value = EDGES_2[random.nextInt(EDGES_2.length)]; break;
            case 4: value = random.nextInt(4) == 0 ? random.nextInt() : EDGES_4[random.nextInt(EDGES_4.length)]; break;
            case 8: value = EDGES_8[random.nextInt(EDGES_8.length)]; break;
            default: value = random.nextLong(); break;
        }
        final byte[] result = frame.clone();
        if (width == 16)
        {
            final long half = random.nextBoolean() ? 0 : value;
            BatchMutator.putValue(result, span.offset, 8, half);
            BatchMutator.putValue(result, span.offset + 8, 8, random.nextBoolean() ? half : random.nextLong());
        }
        else if (span.name.equals("request_api_version") && random.nextBoolean())
        {
            // the body of one version under the header of a neighbouring one
            BatchMutator.putValue(result, span.offset, 2, BatchMutator.getValue(frame, span.offset, 2) +
                (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(3)));
        }
        else
        {
            BatchMutator.putValue(result, span.offset, width, value);
        }
        what.append(span.name).append('=').append(value).append(' ');
        return result;
    }

    private byte[] lengthLie(final byte[] frame, final Span span, final StringBuilder what)
    {
        final int real = span.value;
        final int[] lies = {
            -1, -2, 0, real - 1, real + 1, real + 100, real * 2 + 1, Short.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MIN_VALUE, random.nextInt(),
        };
        final int lie = lies[random.nextInt(lies.length)];
        final byte[] prefix;
        if (span.isCompact())
        {
            if (random.nextInt(4) == 0)
            {
                prefix = BAD_UVARINTS[random.nextInt(BAD_UVARINTS.length)];
                what.append(span.name).append("-bad-uvarint ");
            }
            else
            {
                prefix = new ByteSink(5).putUnsignedVarint(lie + 1).toArray();
                what.append(span.name).append("-length=").append(lie).append(' ');
            }
        }
        else if (span.prefixLength == 2)
        {
            prefix = new ByteSink(2).putShort(lie).toArray();
            what.append(span.name).append("-length=").append((short)lie).append(' ');
        }
        else
        {
            prefix = new ByteSink(4).putInt(lie).toArray();
            what.append(span.name).append("-length=").append(lie).append(' ');
        }
        return replace(frame, span.offset, span.prefixLength, prefix);
    }

    private byte[] stringContent(final byte[] frame, final Span span, final StringBuilder what)
    {
        final byte[] content = BAD_STRINGS[random.nextInt(BAD_STRINGS.length)];
        final ByteSink sink = new ByteSink(content.length + 5);
        if (span.isCompact())
        {
            sink.putUnsignedVarint(content.length + 1);
        }
        else
        {
            sink.putShort(content.length);
        }
        sink.putBytes(content);
        what.append(span.name).append("-content ");
        return replace(frame, span.offset, span.length, sink.toArray());
    }

    private byte[] element(final byte[] frame, final Span span, final Seed donor, final StringBuilder what)
    {
        final Span array = span.array;
        final boolean fixCount = null != array && random.nextBoolean();
        final int choice = random.nextInt(3);
        byte[] result;
        int delta;
        if (choice == 0)
        {
            what.append(span.name).append("-drop");
            result = replace(frame, span.offset, span.length, new byte[0]);
            delta = -1;
        }
        else if (choice == 1)
        {
            final int copies = random.nextInt(8) == 0 ? 200 : 1;
            what.append(span.name).append("-repeat").append(copies);
            final ByteSink sink = new ByteSink(span.length * (copies + 1));
            for (int i = 0; i <= copies; i++)
            {
                sink.putBytes(frame, span.offset, span.length);
            }
            result = replace(frame, span.offset, span.length, sink.toArray());
            delta = copies;
        }
        else
        {
            final List<Span> others = donor.fields.ofKind(Span.ELEMENT);
            final Span other = others.isEmpty() ? span : others.get(random.nextInt(others.size()));
            what.append(span.name).append("-splice-").append(other.name);
            result = replace(frame, span.offset, span.length,
                Arrays.copyOfRange(others.isEmpty() ? frame : donor.frame, other.offset, other.end()));
            delta = 0;
        }
        if (fixCount && delta != 0 && array.value >= 0)
        {
            what.append("-count-fixed");
            final byte[] count = array.isCompact() ?
                new ByteSink(5).putUnsignedVarint(array.value + delta + 1).toArray() :
                new ByteSink(4).putInt(array.value + delta).toArray();
            result = replace(result, array.offset, array.prefixLength, count);
        }
        what.append(' ');
        return result;
    }

    private byte[] taggedSection(final byte[] frame, final Span span, final StringBuilder what)
    {
        final ByteSink sink = new ByteSink(64);
        switch (random.nextInt(6))
        {
            case 0:
            {
                // unknown tags, in order: valid
                final int count = 1 + random.nextInt(3);
                sink.putUnsignedVarint(count);
                int tag = 20 + random.nextInt(100);
                for (int i = 0; i < count; i++)
                {
                    final byte[] payload = new byte[random.nextInt(10)];
                    random.nextBytes(payload);
                    sink.putUnsignedVarint(tag).putUnsignedVarint(payload.length).putBytes(payload);
                    tag += 1 + random.nextInt(5);
                }
                what.append(span.name).append("-unknown-tags ");
                break;
            }
            case 1:
                sink.putUnsignedVarint(Integer.MAX_VALUE);
                what.append(span.name).append("-huge-count ");
                break;
            case 2:
                sink.putUnsignedVarint(1).putUnsignedVarint(5).putUnsignedVarint(Integer.MAX_VALUE);
                what.append(span.name).append("-huge-size ");
                break;
            case 3:
                sink.putUnsignedVarint(2).putUnsignedVarint(30).putUnsignedVarint(1).putByte(0)
                    .putUnsignedVarint(30).putUnsignedVarint(1).putByte(0);
                what.append(span.name).append("-repeated-tag ");
                break;
            case 4:
                sink.putUnsignedVarint(2).putUnsignedVarint(40).putUnsignedVarint(0)
                    .putUnsignedVarint(31).putUnsignedVarint(0);
                what.append(span.name).append("-descending-tags ");
                break;
            default:
                sink.putBytes(BAD_UVARINTS[random.nextInt(BAD_UVARINTS.length)]);
                what.append(span.name).append("-bad-uvarint ");
                break;
        }
        if (random.nextBoolean())
        {
            // keep the fields already there after the new ones (their count is then wrong, or the count is ours)
            sink.putBytes(frame, span.contentOffset(), span.contentLength());
        }
        return replace(frame, span.offset, span.length, sink.toArray());
    }

    private byte[] taggedField(final byte[] frame, final Span span, final StringBuilder what)
    {
        final ByteSink sink = new ByteSink(16);
        final byte[] tagBytes = Arrays.copyOfRange(frame, span.offset, span.offset + span.prefixLength);
        switch (random.nextInt(3))
        {
            case 0:
                // the tag with no payload: a known tag's value missing
                sink.putBytes(tagBytes, 0, 1).putUnsignedVarint(0);
                what.append(span.name).append("-empty ");
                break;
            case 1:
                sink.putBytes(tagBytes, 0, 1).putUnsignedVarint(span.contentLength() + 1 + random.nextInt(100))
                    .putBytes(frame, span.contentOffset(), span.contentLength());
                what.append(span.name).append("-size-lie ");
                break;
            default:
                sink.putBytes(tagBytes, 0, 1).putUnsignedVarint(span.contentLength())
                    .putBytes(flipBits(Arrays.copyOfRange(frame, span.contentOffset(), span.end()), random, 2));
                what.append(span.name).append("-payload-flip ");
                break;
        }
        return replace(frame, span.offset, span.length, sink.toArray());
    }

    private byte[] records(final byte[] frame, final Span span, final StringBuilder what)
    {
        final byte[] batch = Arrays.copyOfRange(frame, span.contentOffset(), span.end());
        final byte[] damaged = batchMutator.mutate(batch, what);
        final ByteSink sink = new ByteSink(damaged.length + 5);
        final int length = random.nextInt(8) == 0 ? batch.length : damaged.length;
        if (span.isCompact())
        {
            sink.putUnsignedVarint(length + 1);
        }
        else
        {
            sink.putInt(length);
        }
        sink.putBytes(damaged);
        return replace(frame, span.offset, span.length, sink.toArray());
    }

    private byte[] byteLevel(final byte[] frame, final StringBuilder what)
    {
        if (frame.length == 0)
        {
            what.append("grow ");
            final byte[] bytes = new byte[1 + random.nextInt(16)];
            random.nextBytes(bytes);
            return bytes;
        }
        switch (random.nextInt(6))
        {
            case 0:
                what.append("flip ");
                return flipBits(frame, random, 1 + random.nextInt(8));
            case 1:
            {
                final byte[] result = frame.clone();
                final int count = 1 + random.nextInt(4);
                for (int i = 0; i < count; i++)
                {
                    result[random.nextInt(result.length)] = (byte)new int[]{0, 0xFF, 0x7F, 0x80, 1}[random.nextInt(5)];
                }
                what.append("set-bytes ");
                return result;
            }
            case 2:
            {
                final int cut = random.nextInt(frame.length);
                what.append("cut@").append(cut).append(' ');
                return Arrays.copyOf(frame, cut);
            }
            case 3:
            {
                final byte[] extra = new byte[1 + random.nextInt(random.nextInt(10) == 0 ? 5000 : 16)];
                random.nextBytes(extra);
                what.append("append").append(extra.length).append(' ');
                final byte[] result = Arrays.copyOf(frame, frame.length + extra.length);
                System.arraycopy(extra, 0, result, frame.length, extra.length);
                return result;
            }
            case 4:
            {
                final int at = random.nextInt(frame.length);
                final byte[] extra = new byte[1 + random.nextInt(8)];
                random.nextBytes(extra);
                what.append("insert@").append(at).append(' ');
                return replace(frame, at, 0, extra);
            }
            default:
            {
                final int at = random.nextInt(frame.length);
                final int length = Math.min(frame.length - at, 1 + random.nextInt(8));
                what.append("delete@").append(at).append(' ');
                return replace(frame, at, length, new byte[0]);
            }
        }
    }

    private static boolean overlaps(final Span a, final Span b)
    {
        return a.offset < b.end() && b.offset < a.end();
    }

    static byte[] flipBits(final byte[] bytes, final SplittableRandom random, final int count)
    {
        final byte[] result = bytes.clone();
        if (result.length == 0)
        {
            return result;
        }
        for (int i = 0; i < count; i++)
        {
            result[random.nextInt(result.length)] ^= (byte)(1 << random.nextInt(8));
        }
        return result;
    }

    /** {@code frame} with {@code [offset, offset + length)} replaced by {@code replacement}. */
    static byte[] replace(final byte[] frame, final int offset, final int length, final byte[] replacement)
    {
        final byte[] result = new byte[frame.length - length + replacement.length];
        System.arraycopy(frame, 0, result, 0, offset);
        System.arraycopy(replacement, 0, result, offset, replacement.length);
        System.arraycopy(frame, offset + length, result, offset + replacement.length, frame.length - offset - length);
        return result;
    }
}
