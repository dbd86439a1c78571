package io.loggia.tools.groups;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DurationTextTest
{
    @Test
    void twoUnitsAtMostMostSignificantFirst()
    {
        assertThat(DurationText.format(-3)).isEqualTo("0ms");
        assertThat(DurationText.format(0)).isEqualTo("0ms");
        assertThat(DurationText.format(999)).isEqualTo("999ms");
        assertThat(DurationText.format(1_000)).isEqualTo("1.000s");
        assertThat(DurationText.format(12_345)).isEqualTo("12.345s");
        assertThat(DurationText.format(59_999)).isEqualTo("59.999s");
        assertThat(DurationText.format(60_000)).isEqualTo("1m00s");
        assertThat(DurationText.format(725_400)).isEqualTo("12m05s");
        assertThat(DurationText.format(3_600_000)).isEqualTo("1h00m");
        assertThat(DurationText.format(18_420_000)).isEqualTo("5h07m");
        assertThat(DurationText.format(273_600_000)).isEqualTo("3d04h");
    }

    @Test
    void parsesBackInTheCommandTest()
    {
        for (final long ms : new long[]{0, 7, 999, 1_000, 42_042, 59_999, 61_000, 3_599_000})
        {
            assertThat(GroupsCommandTest.parseDuration(DurationText.format(ms))).isEqualTo(ms);
        }
    }
}
