package io.loggia.tools.groups;

import io.loggia.tools.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupsOptionsTest
{
    @Test
    void defaultsAndValues() throws UsageException
    {
        final GroupsOptions list = GroupsOptions.parse(new String[]{"--list"});
        assertThat(list.action()).isEqualTo(GroupsOptions.Action.LIST);
        assertThat(list.bootstrapServer()).isEqualTo("127.0.0.1:9092");
        assertThat(list.timeoutMs()).isEqualTo(5_000);

        final GroupsOptions describe = GroupsOptions.parse(new String[]{
            "--describe", "--bootstrap-server=10.0.0.1:9093", "--group", "a", "--group=b", "--timeout", "250"});
        assertThat(describe.action()).isEqualTo(GroupsOptions.Action.DESCRIBE);
        assertThat(describe.bootstrapServer()).isEqualTo("10.0.0.1:9093");
        assertThat(describe.groups()).containsExactly("a", "b");
        assertThat(describe.allGroups()).isFalse();
        assertThat(describe.timeoutMs()).isEqualTo(250);

        assertThat(GroupsOptions.parse(new String[]{"--describe", "--all-groups"}).allGroups()).isTrue();
    }

    @Test
    void mistakes()
    {
        for (final String[] args : new String[][]{
            {},
            {"--describe"},
            {"--list", "--describe"},
            {"--list", "--all-groups"},
            {"--describe", "--all-groups", "--group", "g"},
            {"--list", "--timeout", "0"},
            {"--list", "--timeout", "-5"},
            {"--list", "--timeout"},
            {"--list=yes"},
            {"--describe", "--group", "--list"},
            {"--list", "extra"},
        })
        {
            assertThatThrownBy(() -> GroupsOptions.parse(args)).as(String.join(" ", args))
                .isInstanceOf(UsageException.class);
        }
    }
}
