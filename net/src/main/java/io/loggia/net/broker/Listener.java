package io.loggia.net.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of Kafka's {@code listeners} / {@code advertised.listeners}: {@code NAME://host:port}. An empty host
 * means every interface (bind) or the machine's canonical host name (advertise); IPv6 hosts are written in
 * brackets, {@code PLAINTEXT://[::1]:9092}.
 *
 * @param name listener name, upper case.
 * @param host host or address, "" for the default.
 * @param port port, 0 for an ephemeral one (tests).
 */
public record Listener(String name, String host, int port)
{
    /**
     * @param key   the setting being parsed, named in errors.
     * @param value comma-separated listeners.
     * @throws IllegalArgumentException one line naming {@code key} if an entry is malformed or a name repeats.
     */
    static List<Listener> parseList(final String key, final String value)
    {
        final List<Listener> listeners = new ArrayList<>();
        for (final String raw : value.split(","))
        {
            final String entry = raw.trim();
            if (entry.isEmpty())
            {
                continue;
            }
            final Listener listener = parse(key, entry);
            for (final Listener other : listeners)
            {
                if (other.name.equals(listener.name))
                {
                    throw new IllegalArgumentException(key + ": listener name " + listener.name + " appears twice");
                }
            }
            listeners.add(listener);
        }
        if (listeners.isEmpty())
        {
            throw new IllegalArgumentException(key + ": no listener in '" + value + "'");
        }
        return listeners;
    }

    private static Listener parse(final String key, final String entry)
    {
        final int separator = entry.indexOf("://");
        if (separator <= 0)
        {
            throw new IllegalArgumentException(key + ": '" + entry + "' is not NAME://host:port");
        }
        final String name = entry.substring(0, separator).toUpperCase(Locale.ROOT);
        final String address = entry.substring(separator + 3);
        final int colon = address.lastIndexOf(':');
        if (colon < 0)
        {
            throw new IllegalArgumentException(key + ": '" + entry + "' has no port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        else if (host.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException(key + ": '" + entry + "' has an IPv6 host outside brackets");
        }
        final int port;
        try
        {
            port = Integer.parseInt(address.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + ": '" + entry + "' has no numeric port");
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException(key + ": port " + port + " of '" + entry + "' is outside [0, 65535]");
        }
        return new Listener(name, host, port);
    }

    /**
     * The security protocol of this listener: its entry in {@code listener.security.protocol.map}, else its name
     * when that is a protocol name, as Kafka resolves it.
     */
    String protocol(final Map<String, String> protocolMap)
    {
        return protocolMap.getOrDefault(name, name);
    }

    /** {@code NAME://host:port}, the way it was written (IPv6 hosts in brackets). */
    public String toString()
    {
        return name + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ':' + port;
    }
}
