package io.loggia.tools.torture;

import io.loggia.tools.UsageException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TortureOptionsTest
{
    @Test
    void defaults() throws UsageException
    {
        final TortureOptions options = TortureOptions.parse();
        assertThat(options.iterations).isEqualTo(10);
        assertThat(options.partitions).isEqualTo(3);
        assertThat(options.consumers).isEqualTo(2);
        assertThat(options.tornWriteProbability).isEqualTo(0.5);
        assertThat(options.stopOnViolation).isTrue();
        assertThat(options.dir).isNull();
    }

    @Test
    void everyFlagWithItsValueNextOrAfterEquals() throws UsageException
    {
        final TortureOptions options = TortureOptions.parse("--iterations", "200", "--partitions=4", "--consumers", "0",
            "--rate", "0", "--bursts", "--record-bytes", "1000", "--min-run-ms", "10", "--max-run-ms=20",
            "--torn-writes", "1", "--kill-during-recovery", "0.25", "--clean-stops", "0.1", "--segment-bytes",
            "131072", "--compression", "zstd", "--seed", "-5", "--dir", "/tmp/x", "--keep-data",
            "--continue-on-violation", "--quiet", "--broker-override", "num.writer.threads=2",
            "--broker-override=loggia.threading.mode=dedicated");
        assertThat(options.iterations).isEqualTo(200);
        assertThat(options.partitions).isEqualTo(4);
        assertThat(options.consumers).isZero();
        assertThat(options.rate).isZero();
        assertThat(options.bursts).isTrue();
        assertThat(options.maxRecordBytes).isEqualTo(1000);
        assertThat(options.minRunMs).isEqualTo(10);
        assertThat(options.maxRunMs).isEqualTo(20);
        assertThat(options.tornWriteProbability).isEqualTo(1.0);
        assertThat(options.killDuringRecoveryProbability).isEqualTo(0.25);
        assertThat(options.cleanStopProbability).isEqualTo(0.1);
        assertThat(options.segmentBytes).isEqualTo(131072);
        assertThat(options.compression).isEqualTo("zstd");
        assertThat(options.seed).isEqualTo(-5);
        assertThat(options.dir).isEqualTo(Path.of("/tmp/x"));
        assertThat(options.keepData).isTrue();
        assertThat(options.stopOnViolation).isFalse();
        assertThat(options.quiet).isTrue();
        assertThat(options.brokerOverrides)
            .containsExactly("num.writer.threads=2", "loggia.threading.mode=dedicated");
    }

    @Test
    void badValuesAreUsageErrorsNamingTheFlag()
    {
        assertThatThrownBy(() -> TortureOptions.parse("--iterations", "0")).isInstanceOf(UsageException.class)
            .hasMessageContaining("--iterations");
        assertThatThrownBy(() -> TortureOptions.parse("--torn-writes", "1.5")).hasMessageContaining("--torn-writes");
        assertThatThrownBy(() -> TortureOptions.parse("--rate", "fast")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> TortureOptions.parse("--compression", "brotli")).hasMessageContaining("--compression");
        assertThatThrownBy(() -> TortureOptions.parse("--min-run-ms", "50", "--max-run-ms", "10"))
            .hasMessageContaining("--min-run-ms");
        assertThatThrownBy(() -> TortureOptions.parse("--broker-override", "novalue"))
            .hasMessageContaining("key=value");
        assertThatThrownBy(() -> TortureOptions.parse("--bursts=yes")).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> TortureOptions.parse("--seed")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> TortureOptions.parse("--frobnicate")).hasMessageContaining("unknown option");
    }
}
