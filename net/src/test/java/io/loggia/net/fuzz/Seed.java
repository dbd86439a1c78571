package io.loggia.net.fuzz;

/**
 * A well-formed request frame (header and body, without the size prefix) and where its fields lie: what the
 * mutators start from.
 */
final class Seed
{
    final int apiKey;
    final short version;
    final short headerVersion;
    final byte[] frame;
    final FieldMap fields;

    Seed(final int apiKey, final short version, final short headerVersion, final byte[] frame, final FieldMap fields)
    {
        this.apiKey = apiKey;
        this.version = version;
        this.headerVersion = headerVersion;
        this.frame = frame;
        this.fields = fields;
    }

    public String toString()
    {
        return "seed " + org.apache.kafka.common.protocol.ApiKeys.forId(apiKey) + " v" + version + " (" +
            frame.length + " bytes)";
    }
}
