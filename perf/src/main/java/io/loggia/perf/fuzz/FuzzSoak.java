package io.loggia.perf.fuzz;

import io.loggia.net.fuzz.FuzzSoakRunner;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The protocol fuzzer's soak mode: millions of inputs against one layer, then a verdict (exit 0 passed, 1 failed,
 * 2 bad arguments).
 * <pre>
 *   java -cp perf/target/classes:perf/target/lib/* io.loggia.perf.fuzz.FuzzSoak MODE [options]
 *     MODE                 decoder | in-process | live
 *     --inputs N           inputs to send (default 1000000)
 *     --minutes M          stop sending after M minutes whatever the count (default 600)
 *     --connections C      fuzzing connections (default 32; not for decoder)
 *     --seed S             the inputs' random seed (default: the time)
 *     --dir PATH           the broker's data (default: a new temporary directory)
 * </pre>
 * {@code in-process} runs the broker in this JVM, so give it the broker's JVM flags
 * ({@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED} and the opens of {@code BrokerProcess.JVM_FLAGS});
 * {@code live} starts a broker process of its own with them. The fuzzer classes come from net's test jar.
 */
public final class FuzzSoak
{
    private FuzzSoak()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length < 1)
        {
            usage("no mode");
            return;
        }
        long inputs = 1_000_000;
        long minutes = 600;
        int connections = 32;
        long seed = System.nanoTime();
        Path dir = null;
        for (int i = 1; i < args.length; i += 2)
        {
            if (i + 1 >= args.length)
            {
                usage("no value for " + args[i]);
                return;
            }
            final String value = args[i + 1];
            switch (args[i])
            {
                case "--inputs": inputs = Long.parseLong(value); break;
                case "--minutes": minutes = Long.parseLong(value); break;
                case "--connections": connections = Integer.parseInt(value); break;
                case "--seed": seed = Long.parseLong(value); break;
                case "--dir": dir = Path.of(value); break;
                default: usage("unknown option " + args[i]); return;
            }
        }
        if (null == dir)
        {
            dir = Files.createTempDirectory("loggia-fuzz-soak");
        }
        System.out.println("fuzz soak " + args[0] + ": inputs " + inputs + ", seed " + seed + ", data in " + dir);
        final boolean passed;
        switch (args[0])
        {
            case "decoder": passed = FuzzSoakRunner.decoder(inputs, seed, System.out); break;
            case "in-process":
                passed = FuzzSoakRunner.inProcess(inputs, minutes, connections, seed, dir, System.out);
                break;
            case "live": passed = FuzzSoakRunner.live(inputs, minutes, connections, seed, dir, System.out); break;
            default: usage("unknown mode " + args[0]); return;
        }
        System.exit(passed ? 0 : 1);
    }

    private static void usage(final String problem)
    {
        System.err.println(problem + "\nusage: FuzzSoak decoder|in-process|live [--inputs N] [--minutes M] " +
            "[--connections C] [--seed S] [--dir PATH]");
        System.exit(2);
    }
}
