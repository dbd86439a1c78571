package io.loggia.net.fuzz;

import org.apache.kafka.common.protocol.ApiKeys;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Where a run's inputs come from: a corpus of seeds for every API and version the broker serves (refreshed as
 * the run goes), mutated by the {@link Mutator}; some seeds sent as they are; some random frames; some framing
 * lies. Guided by the answers: an input whose answer shows an outcome not seen before for its API and version
 * (another set of error codes, a close where there were answers) joins a corpus of interesting inputs, which
 * later inputs mutate further at the byte level. That is coverage of what the broker does, seen from outside;
 * cheap, and independent of instrumentation.
 */
final class InputSource
{
    private static final int SEEDS_PER_VERSION = 3;
    private static final int INTERESTING_LIMIT = 2_000;
    private static final int SIGNATURE_LIMIT = 100_000;

    private final SplittableRandom random;
    private final RequestGenerator generator;
    private final Mutator mutator;
    private final List<int[]> apiVersions = new ArrayList<>();
    private final List<Seed> corpus = new ArrayList<>();
    private final List<FuzzInput> interesting = new ArrayList<>();
    private final Set<String> signatures = new HashSet<>();
    private final boolean framing;
    private final StoredTopicGuard guard;
    private int nextCorrelationId = 1;

    /**
     * @param framing whether to make inputs whose size prefix lies (only a socket run can send those).
     */
    InputSource(final Dictionary dictionary, final SupportedVersions supported, final long seed, final boolean framing)
    {
        this.random = new SplittableRandom(seed);
        this.generator = new RequestGenerator(dictionary, random);
        this.mutator = new Mutator(random);
        this.framing = framing;
        this.guard = new StoredTopicGuard(dictionary);
        for (final int key : supported.keys())
        {
            final int weight = key == ApiKeys.PRODUCE.id || key == ApiKeys.FETCH.id ? 3 : 1;
            for (int w = 0; w < weight; w++)
            {
                apiVersions.add(new int[]{key, supported.min(key), supported.max(key)});
            }
            for (short v = supported.min(key); v <= supported.max(key); v++)
            {
                for (int i = 0; i < SEEDS_PER_VERSION; i++)
                {
                    corpus.add(generator.generate(key, v, nextCorrelationId()));
                }
            }
        }
    }

    int corpusSize()
    {
        return corpus.size();
    }

    int interestingSize()
    {
        return interesting.size();
    }

    /** Inputs not sent because they would have deleted or reconfigured a stored topic. */
    long guarded()
    {
        return guard.refused();
    }

    FuzzInput next()
    {
        FuzzInput input;
        do
        {
            input = make();
        }
        while (guard.threatens(input));
        return input;
    }

    private FuzzInput make()
    {
        final int dice = random.nextInt(100);
        if (dice < 8)
        {
            final Seed seed = freshSeed();
            return new FuzzInput(seed.frame, FuzzInput.VALID, seed.apiKey, seed.version, 0, "valid");
        }
        if (dice < 13)
        {
            return mutator.randomFrame(corpus.get(random.nextInt(corpus.size())));
        }
        if (framing && dice < 15)
        {
            return mutator.framing(corpus.get(random.nextInt(corpus.size())));
        }
        if (dice < 30 && !interesting.isEmpty())
        {
            final FuzzInput base = interesting.get(random.nextInt(interesting.size()));
            final Seed wrapped = new Seed(base.seedApiKey, base.seedVersion, (short)1, base.frame, null);
            return mutator.havoc(wrapped, base.description);
        }
        final Seed seed = random.nextInt(20) == 0 ? freshSeed() : pickSeed();
        return mutator.mutate(seed, corpus.get(random.nextInt(corpus.size())));
    }

    /**
     * What the answer to {@code input} looked like; new looks make the input interesting. Only inputs whose header
     * still names their seed's API and version count: the look of an answer to a damaged header says nothing new.
     */
    void feedback(final FuzzInput input, final int outcome, final String answerSignature)
    {
        if (input.origin != FuzzInput.MUTATED || input.sizeLie != 0 || input.apiKey() != input.seedApiKey ||
            input.apiVersion() != input.seedVersion || signatures.size() >= SIGNATURE_LIMIT)
        {
            return;
        }
        final String signature = input.apiKey() + "/" + input.apiVersion() + "/" + outcome + "/" + answerSignature;
        if (signatures.add(signature))
        {
            if (interesting.size() < INTERESTING_LIMIT)
            {
                interesting.add(input);
            }
            else
            {
                interesting.set(random.nextInt(INTERESTING_LIMIT), input);
            }
        }
    }

    int signatureCount()
    {
        return signatures.size();
    }

    private Seed pickSeed()
    {
        final int[] apiVersion = apiVersions.get(random.nextInt(apiVersions.size()));
        final short version = (short)(apiVersion[1] + random.nextInt(apiVersion[2] - apiVersion[1] + 1));
        final int from = random.nextInt(corpus.size());
        for (int i = 0; i < corpus.size(); i++)
        {
            final Seed seed = corpus.get((from + i) % corpus.size());
            if (seed.apiKey == apiVersion[0] && seed.version == version)
            {
                return seed;
            }
        }
        return corpus.get(from);
    }

    private Seed freshSeed()
    {
        final int[] apiVersion = apiVersions.get(random.nextInt(apiVersions.size()));
        final short version = (short)(apiVersion[1] + random.nextInt(apiVersion[2] - apiVersion[1] + 1));
        final Seed seed = generator.generate(apiVersion[0], version, nextCorrelationId());
        final int from = random.nextInt(corpus.size());
        for (int i = 0; i < corpus.size(); i++)
        {
            final int index = (from + i) % corpus.size();
            if (corpus.get(index).apiKey == seed.apiKey && corpus.get(index).version == seed.version)
            {
                corpus.set(index, seed);
                break;
            }
        }
        return seed;
    }

    private int nextCorrelationId()
    {
        final int id = nextCorrelationId;
        nextCorrelationId = id == Integer.MAX_VALUE / 2 ? 1 : id + 1;
        return id;
    }
}
