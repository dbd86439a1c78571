package io.loggia.engine.agent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParkingIdleStrategyTest
{
    private static final long PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long LONGEST_NS = 8 * PARK_NS;

    @Test
    void idleParksGrowToTheLongestAndWorkOrAWakeBringsThemBack()
    {
        final ParkingIdleStrategy idle = new ParkingIdleStrategy(0, PARK_NS, LONGEST_NS);
        assertThat(idle.nextParkNs()).isEqualTo(PARK_NS);

        idle.idle(0);
        assertThat(idle.nextParkNs()).isEqualTo(2 * PARK_NS);
        idle.idle(0);
        idle.idle(0);
        assertThat(idle.nextParkNs()).isEqualTo(LONGEST_NS);
        idle.idle(0);
        assertThat(idle.nextParkNs()).isEqualTo(LONGEST_NS);

        idle.idle(1);
        assertThat(idle.nextParkNs()).isEqualTo(PARK_NS);

        idle.idle(0);
        idle.idle(0);
        assertThat(idle.nextParkNs()).isEqualTo(4 * PARK_NS);
        idle.wake();
        idle.idle(0);
        assertThat(idle.nextParkNs()).isEqualTo(PARK_NS);
    }

    @Test
    void withOneParkTimeItNeverGrows()
    {
        final ParkingIdleStrategy idle = new ParkingIdleStrategy(0, PARK_NS);
        idle.idle(0);
        idle.idle(0);
        assertThat(idle.nextParkNs()).isEqualTo(PARK_NS);
    }

    @Test
    void refusesALongestParkShorterThanTheFirst()
    {
        assertThatThrownBy(() -> new ParkingIdleStrategy(0, PARK_NS, PARK_NS - 1))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
