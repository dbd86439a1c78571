package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.List;

/** DeleteGroups: empty groups and their offsets go; answered once the tombstones are written. */
public final class DeleteGroupsOp extends GroupOp
{
    /** One group to delete and its result. */
    public static final class Group
    {
        public String groupId;
        /** Result. */
        public short errorCode = GroupErrors.NONE;

        public Group()
        {
        }

        public Group(final String groupId)
        {
            this.groupId = groupId;
        }
    }

    public final List<Group> groups = new ArrayList<>();

    public DeleteGroupsOp()
    {
        super(DELETE_GROUPS);
    }

    public void fail(final short error)
    {
        errorCode = error;
        for (final Group group : groups)
        {
            group.errorCode = error;
        }
    }

    public String toString()
    {
        return "DeleteGroups{groups=" + groups.size() + '}';
    }
}
