package io.loggia.net.fuzz;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoder layer of the protocol fuzzer for CI: mutated and random frames of every served API fed straight
 * into Loggia's request header, Produce and Fetch decoders and its record batch validator, read side by side with
 * kafka-clients. Nothing throws, and Loggia never decodes differently from kafka-clients.
 */
class DecoderFuzzTest
{
    @Test
    void theDecodersNeverThrowAndAgreeWithKafkaClients()
    {
        final Dictionary dictionary = new Dictionary(1);
        dictionary.scratchTopics.add("fz-0");
        dictionary.scratchTopics.add("fz-1");
        dictionary.storedTopics.add("keep-0");
        dictionary.scratchTopicIds.add(org.apache.kafka.common.Uuid.randomUuid());
        final SupportedVersions supported = SupportedVersions.ofKafkaClients(SupportedVersions.LOGGIA_API_KEYS);
        final DecoderFuzzer fuzzer =
            new DecoderFuzzer(new InputSource(dictionary, supported, InProcessFuzzTest.seed(), false), supported);

        fuzzer.run(150_000);

        System.out.println(fuzzer);
        fuzzer.lenientExamples().forEach(System.out::println);
        assertThat(fuzzer.findings()).as(fuzzer.toString()).isEmpty();
        assertThat(fuzzer.disagreements()).isZero();
    }
}
