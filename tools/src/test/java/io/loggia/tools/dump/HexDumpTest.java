package io.loggia.tools.dump;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HexDumpTest
{
    @Test
    void chronicleBytesFormatsTheDumpAndThePlainFallbackMatchesItByteForByte()
    {
        final Random random = new Random(7);
        for (final int length : new int[] { 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 256, 1000 })
        {
            final byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            bytes[0] = ' ';

            assertThat(HexDump.lines(bytes)).as("length " + length).isEqualTo(HexDump.plainLines(bytes))
                .hasSize((length + 15) / 16);
        }
    }

    @Test
    void layout()
    {
        assertThat(HexDump.plainLines("Kafka\u0000log!0123456789".getBytes(StandardCharsets.ISO_8859_1)))
            .containsExactly(
                "00000000 4b 61 66 6b 61 00 6c 6f  67 21 30 31 32 33 34 35 Kafka\u00b7lo g!012345",
                "00000010 36 37 38 39                                      6789");
        assertThat(HexDump.lines(new byte[0])).isEmpty();
    }

    @Test
    void textIsPrintedAsTextAndAnythingElseAsBinary()
    {
        final RecordPrinter printer = new RecordPrinter();

        assertThat(printer.textOrNull("h\u00e9llo w\u00f6rld".getBytes(StandardCharsets.UTF_8)))
            .isEqualTo("h\u00e9llo w\u00f6rld");
        assertThat(printer.textOrNull(new byte[0])).isEmpty();
        assertThat(printer.textOrNull("two\nlines".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(printer.textOrNull(new byte[] { (byte)0xC3, 0x28 })).isNull();
    }

    @Test
    void sequencesWrapAsKafkasProducerWrapsThem()
    {
        assertThat(RecordPrinter.sequence(-1, 5)).isEqualTo(-1);
        assertThat(RecordPrinter.sequence(10, 5)).isEqualTo(15);
        assertThat(RecordPrinter.sequence(Integer.MAX_VALUE - 1, 1)).isEqualTo(Integer.MAX_VALUE);
        assertThat(RecordPrinter.sequence(Integer.MAX_VALUE - 1, 2)).isEqualTo(0);
        assertThat(RecordPrinter.sequence(Integer.MAX_VALUE, 3)).isEqualTo(2);
    }
}
