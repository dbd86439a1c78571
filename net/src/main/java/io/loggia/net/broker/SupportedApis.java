package io.loggia.net.broker;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.net.broker.admin.AdminVersions;
import io.loggia.net.broker.data.DataPathHandlers;
import io.loggia.net.group.GroupApis;
import org.apache.kafka.common.message.ApiVersionsResponseData;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every API this broker serves and its version range, as ApiVersions advertises them: the data path's, the admin
 * APIs', the group APIs' and ApiVersions itself. Built on the first ApiVersions request (it reads the group
 * handlers' table, which is kafka-clients' classes), then shared by every network thread: the table and the
 * encoded answers are immutable, published by class initialisation.
 */
final class SupportedApis
{
    private SupportedApis()
    {
    }

    /** The shared ApiVersions answers. */
    static ApiVersionsResponder responder()
    {
        return Holder.RESPONDER;
    }

    /** {key, oldest, newest} of every API served, in key order; a copy. */
    static short[][] ranges()
    {
        final short[][] copy = new short[Holder.RANGES.length][];
        for (int i = 0; i < copy.length; i++)
        {
            copy[i] = Holder.RANGES[i].clone();
        }
        return copy;
    }

    private static final class Holder
    {
        static final short[][] RANGES = build();
        static final ApiVersionsResponder RESPONDER = new ApiVersionsResponder(RANGES);

        private static short[][] build()
        {
            final List<short[]> ranges = new ArrayList<>();
            ranges.add(new short[]{ApiKeys.PRODUCE,
                DataPathHandlers.PRODUCE_MIN_VERSION, DataPathHandlers.PRODUCE_MAX_VERSION});
            ranges.add(new short[]{ApiKeys.FETCH,
                DataPathHandlers.FETCH_MIN_VERSION, DataPathHandlers.FETCH_MAX_VERSION});
            ranges.add(new short[]{ApiKeys.LIST_OFFSETS,
                DataPathHandlers.LIST_OFFSETS_MIN_VERSION, DataPathHandlers.LIST_OFFSETS_MAX_VERSION});
            ranges.add(new short[]{ApiKeys.OFFSET_FOR_LEADER_EPOCH,
                DataPathHandlers.OFFSET_FOR_LEADER_EPOCH_MIN_VERSION,
                DataPathHandlers.OFFSET_FOR_LEADER_EPOCH_MAX_VERSION});
            ranges.add(new short[]{ApiKeys.API_VERSIONS, 0, ApiVersionsResponder.MAX_VERSION});
            for (final short[] range : AdminVersions.ranges())
            {
                ranges.add(range);
            }
            for (final ApiVersionsResponseData.ApiVersion version : GroupApis.supportedVersions())
            {
                ranges.add(new short[]{version.apiKey(), version.minVersion(), version.maxVersion()});
            }
            ranges.sort(Comparator.comparingInt(range -> range[0]));
            return ranges.toArray(new short[0][]);
        }
    }
}
