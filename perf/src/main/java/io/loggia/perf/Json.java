package io.loggia.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the harness needs for its result files: {@link #write(Object)} prints nested {@link Map}s
 * (insertion order kept), {@link List}s, strings, numbers, booleans and null; {@link #parse(String)} reads any
 * JSON text back into the same shapes, every number as a {@link Double}.
 * <p>
 * Stateless; safe on any thread.
 */
public final class Json
{
    private Json()
    {
    }

    /**
     * @param value a Map, List, CharSequence, Number, Boolean or null, nested freely.
     * @return indented JSON text ending in a newline.
     */
    public static String write(final Object value)
    {
        final StringBuilder sb = new StringBuilder(4096);
        write(sb, value, 0);
        return sb.append('\n').toString();
    }

    /**
     * @param text JSON text.
     * @return Map, List, String, Double, Boolean or null.
     * @throws IllegalArgumentException when the text is not valid JSON.
     */
    public static Object parse(final String text)
    {
        final Parser parser = new Parser(text);
        parser.skipSpace();
        final Object value = parser.value();
        parser.skipSpace();
        if (parser.position != text.length())
        {
            throw parser.error("trailing characters");
        }
        return value;
    }

    /**
     * @param root a parsed or built document.
     * @param keys object keys, outermost first.
     * @return the value at that path, or null where the path does not exist.
     */
    public static Object get(final Object root, final String... keys)
    {
        Object node = root;
        for (final String key : keys)
        {
            if (!(node instanceof Map))
            {
                return null;
            }
            node = ((Map<?, ?>)node).get(key);
        }
        return node;
    }

    /**
     * @param root a parsed or built document.
     * @param keys object keys, outermost first.
     * @return the number at that path, or NaN where there is none.
     */
    public static double number(final Object root, final String... keys)
    {
        final Object value = get(root, keys);
        return value instanceof Number ? ((Number)value).doubleValue() : Double.NaN;
    }

    /**
     * @param root a parsed or built document.
     * @param keys object keys, outermost first.
     * @return the string at that path, or null where there is none.
     */
    public static String string(final Object root, final String... keys)
    {
        final Object value = get(root, keys);
        return value == null ? null : value.toString();
    }

    private static void write(final StringBuilder sb, final Object value, final int depth)
    {
        if (value == null)
        {
            sb.append("null");
        }
        else if (value instanceof Map)
        {
            final Map<?, ?> map = (Map<?, ?>)value;
            if (map.isEmpty())
            {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                sb.append(first ? "\n" : ",\n");
                first = false;
                indent(sb, depth + 1);
                writeString(sb, entry.getKey().toString());
                sb.append(": ");
                write(sb, entry.getValue(), depth + 1);
            }
            sb.append('\n');
            indent(sb, depth);
            sb.append('}');
        }
        else if (value instanceof List)
        {
            final List<?> list = (List<?>)value;
            final boolean flat = list.stream().noneMatch(e -> e instanceof Map || e instanceof List);
            final boolean pairs = list.stream().allMatch(e -> e instanceof List && ((List<?>)e).size() <= 2);
            sb.append('[');
            for (int i = 0; i < list.size(); i++)
            {
                if (i > 0)
                {
                    sb.append(flat ? ", " : ",");
                }
                if (!flat && !pairs)
                {
                    sb.append('\n');
                    indent(sb, depth + 1);
                }
                write(sb, list.get(i), depth + 1);
            }
            if (!flat && !pairs && !list.isEmpty())
            {
                sb.append('\n');
                indent(sb, depth);
            }
            sb.append(']');
        }
        else if (value instanceof CharSequence)
        {
            writeString(sb, value.toString());
        }
        else if (value instanceof Double || value instanceof Float)
        {
            final double d = ((Number)value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d))
            {
                sb.append("null");
            }
            else if (d == Math.rint(d) && Math.abs(d) < 1e15)
            {
                sb.append((long)d);
            }
            else
            {
                sb.append(d);
            }
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            sb.append(value);
        }
        else
        {
            writeString(sb, value.toString());
        }
    }

    private static void indent(final StringBuilder sb, final int depth)
    {
        for (int i = 0; i < depth; i++)
        {
            sb.append("  ");
        }
    }

    private static void writeString(final StringBuilder sb, final String s)
    {
        sb.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    private static final class Parser
    {
        private final String text;
        private int position;

        Parser(final String text)
        {
            this.text = text;
        }

        Object value()
        {
            if (position >= text.length())
            {
                throw error("unexpected end");
            }
            final char c = text.charAt(position);
            switch (c)
            {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    return number();
            }
        }

        private Map<String, Object> object()
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            position++;
            skipSpace();
            if (peek() == '}')
            {
                position++;
                return map;
            }
            while (true)
            {
                skipSpace();
                if (peek() != '"')
                {
                    throw error("expected a key");
                }
                final String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                map.put(key, value());
                skipSpace();
                if (peek() == ',')
                {
                    position++;
                    continue;
                }
                expect('}');
                return map;
            }
        }

        private List<Object> array()
        {
            final List<Object> list = new ArrayList<>();
            position++;
            skipSpace();
            if (peek() == ']')
            {
                position++;
                return list;
            }
            while (true)
            {
                skipSpace();
                list.add(value());
                skipSpace();
                if (peek() == ',')
                {
                    position++;
                    continue;
                }
                expect(']');
                return list;
            }
        }

        private String string()
        {
            final StringBuilder sb = new StringBuilder();
            position++;
            while (true)
            {
                if (position >= text.length())
                {
                    throw error("unterminated string");
                }
                final char c = text.charAt(position++);
                if (c == '"')
                {
                    return sb.toString();
                }
                if (c != '\\')
                {
                    sb.append(c);
                    continue;
                }
                if (position >= text.length())
                {
                    throw error("unterminated escape");
                }
                final char e = text.charAt(position++);
                switch (e)
                {
                    case '"':
                    case '\\':
                    case '/':
                        sb.append(e);
                        break;
                    case 'b':
                        sb.append('\b');
                        break;
                    case 'f':
                        sb.append('\f');
                        break;
                    case 'n':
                        sb.append('\n');
                        break;
                    case 'r':
                        sb.append('\r');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case 'u':
                        if (position + 4 > text.length())
                        {
                            throw error("short unicode escape");
                        }
                        sb.append((char)Integer.parseInt(text.substring(position, position + 4), 16));
                        position += 4;
                        break;
                    default:
                        throw error("bad escape");
                }
            }
        }

        private Double number()
        {
            final int start = position;
            while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0)
            {
                position++;
            }
            if (start == position)
            {
                throw error("unexpected character");
            }
            try
            {
                return Double.valueOf(text.substring(start, position));
            }
            catch (final NumberFormatException ex)
            {
                throw error("bad number");
            }
        }

        private Object literal(final String word, final Object value)
        {
            if (!text.startsWith(word, position))
            {
                throw error("unexpected character");
            }
            position += word.length();
            return value;
        }

        private char peek()
        {
            if (position >= text.length())
            {
                throw error("unexpected end");
            }
            return text.charAt(position);
        }

        private void expect(final char c)
        {
            if (peek() != c)
            {
                throw error("expected '" + c + "'");
            }
            position++;
        }

        void skipSpace()
        {
            while (position < text.length() && Character.isWhitespace(text.charAt(position)))
            {
                position++;
            }
        }

        IllegalArgumentException error(final String message)
        {
            return new IllegalArgumentException("JSON: " + message + " at character " + position);
        }
    }
}
