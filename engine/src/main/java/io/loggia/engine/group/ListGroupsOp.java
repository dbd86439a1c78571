package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.List;

/** ListGroups: every group the coordinator holds, optionally filtered by state (v4+) and type (v5+). */
public final class ListGroupsOp extends GroupOp
{
    /** Every group here is a classic group. */
    public static final String CLASSIC_TYPE = "classic";

    /** One listed group. */
    public record Group(String groupId, String protocolType, String state, String type)
    {
    }

    /** State names to keep, case-insensitive; empty keeps all. */
    public final List<String> statesFilter = new ArrayList<>();
    /** Group types to keep, case-insensitive; empty keeps all. */
    public final List<String> typesFilter = new ArrayList<>();

    /** Result. */
    public final List<Group> groups = new ArrayList<>();

    public ListGroupsOp()
    {
        super(LIST_GROUPS);
    }

    public void fail(final short error)
    {
        errorCode = error;
        groups.clear();
    }

    public String toString()
    {
        return "ListGroups{groups=" + groups.size() + ", error=" + GroupErrors.name(errorCode) + '}';
    }
}
