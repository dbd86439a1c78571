package io.loggia.perf;

/**
 * What the broker, this harness and the rest of the machine spent during a run: sampled at the start, once per
 * progress tick and at the end. CPU is split as perf.sh splits it: machine busy = broker + harness + other, and
 * "other" well above zero means another load shared the cores, so the run is suspect.
 * <p>
 * Not thread safe: used only by the run's main thread.
 */
public final class CostTracker
{
    /** Broker pid value meaning no broker process is watched. */
    public static final long NO_PID = -1;

    private final long brokerPid;
    private final long selfPid;
    private final ProcessSample brokerStart = new ProcessSample();
    private final ProcessSample brokerPrevious = new ProcessSample();
    private final ProcessSample brokerLast = new ProcessSample();
    private final ProcessSample selfStart = new ProcessSample();
    private final ProcessSample selfPrevious = new ProcessSample();
    private final ProcessSample selfLast = new ProcessSample();
    private final MachineSample machineStart = new MachineSample();
    private final MachineSample machinePrevious = new MachineSample();
    private final MachineSample machineLast = new MachineSample();
    private final ProcessSample scratch = new ProcessSample();
    private boolean brokerSeen;
    private boolean brokerLost;
    private long rssAnonMaxKb;
    private long rssFileMaxKb;
    private long vmRssMaxKb;
    private long startNs;
    private long previousNs;
    private long lastNs;

    /**
     * @param brokerPid the broker's process id, or {@link #NO_PID}.
     * @param selfPid   this JVM's process id.
     */
    public CostTracker(final long brokerPid, final long selfPid)
    {
        this.brokerPid = brokerPid;
        this.selfPid = selfPid;
    }

    /**
     * Take the starting sample.
     *
     * @param nowNs run clock time.
     */
    public void start(final long nowNs)
    {
        startNs = nowNs;
        lastNs = nowNs;
        previousNs = nowNs;
        ProcStat.readMachine(machineStart);
        machineLast.copyFrom(machineStart);
        machinePrevious.copyFrom(machineStart);
        ProcStat.readProcess(selfPid, selfStart);
        selfLast.copyFrom(selfStart);
        selfPrevious.copyFrom(selfStart);
        if (brokerPid != NO_PID && ProcStat.readProcess(brokerPid, brokerStart))
        {
            brokerSeen = true;
            brokerLast.copyFrom(brokerStart);
            brokerPrevious.copyFrom(brokerStart);
            trackMaxima(brokerStart);
        }
    }

    /**
     * Take the next sample; the interval figures then cover the time since the one before.
     *
     * @param nowNs run clock time.
     */
    public void sample(final long nowNs)
    {
        previousNs = lastNs;
        lastNs = nowNs;
        machinePrevious.copyFrom(machineLast);
        ProcStat.readMachine(machineLast);
        selfPrevious.copyFrom(selfLast);
        ProcStat.readProcess(selfPid, selfLast);
        brokerPrevious.copyFrom(brokerLast);
        if (brokerSeen && !brokerLost)
        {
            if (ProcStat.readProcess(brokerPid, scratch))
            {
                brokerLast.copyFrom(scratch);
                trackMaxima(scratch);
            }
            else
            {
                brokerLost = true;
            }
        }
    }

    /** @return true when a broker pid was given and could be read at the start. */
    public boolean hasBroker()
    {
        return brokerSeen;
    }

    /** @return true when the broker process disappeared during the run. */
    public boolean brokerLost()
    {
        return brokerLost;
    }

    public long brokerPid()
    {
        return brokerPid;
    }

    /** @return broker CPU over the last interval, percent of one core. */
    public double intervalBrokerCpuPercent()
    {
        return percentOfOneCore(brokerLast.cpuTicks - brokerPrevious.cpuTicks, lastNs - previousNs);
    }

    /** @return CPU of other processes over the last interval, percent of one core. */
    public double intervalOtherCpuPercent()
    {
        final long other = (machineLast.busyTicks - machinePrevious.busyTicks) -
            (brokerLast.cpuTicks - brokerPrevious.cpuTicks) - (selfLast.cpuTicks - selfPrevious.cpuTicks);
        return percentOfOneCore(other, lastNs - previousNs);
    }

    /** @return the broker's anonymous resident memory at the last sample, kB. */
    public long lastRssAnonKb()
    {
        return brokerLast.rssAnonKb;
    }

    public double brokerCpuSeconds()
    {
        return ProcStat.seconds(brokerLast.cpuTicks - brokerStart.cpuTicks);
    }

    public double harnessCpuSeconds()
    {
        return ProcStat.seconds(selfLast.cpuTicks - selfStart.cpuTicks);
    }

    public double machineBusySeconds()
    {
        return ProcStat.seconds(machineLast.busyTicks - machineStart.busyTicks);
    }

    public double stealSeconds()
    {
        return ProcStat.seconds(machineLast.stealTicks - machineStart.stealTicks);
    }

    /** @return machine busy minus broker minus harness: CPU spent by everything else. */
    public double otherSeconds()
    {
        return machineBusySeconds() - brokerCpuSeconds() - harnessCpuSeconds();
    }

    /** @return CPU seconds the machine had in total over the run (wall time times CPUs). */
    public double machineTotalSeconds()
    {
        return ProcStat.seconds(machineLast.totalTicks - machineStart.totalTicks);
    }

    public double wallSeconds()
    {
        return (lastNs - startNs) / 1e9;
    }

    public ProcessSample brokerStart()
    {
        return brokerStart;
    }

    public ProcessSample brokerEnd()
    {
        return brokerLast;
    }

    public long rssAnonMaxKb()
    {
        return rssAnonMaxKb;
    }

    public long rssFileMaxKb()
    {
        return rssFileMaxKb;
    }

    public long vmRssMaxKb()
    {
        return vmRssMaxKb;
    }

    private void trackMaxima(final ProcessSample sample)
    {
        rssAnonMaxKb = Math.max(rssAnonMaxKb, sample.rssAnonKb);
        rssFileMaxKb = Math.max(rssFileMaxKb, sample.rssFileKb);
        vmRssMaxKb = Math.max(vmRssMaxKb, sample.vmRssKb);
    }

    private static double percentOfOneCore(final long ticks, final long intervalNs)
    {
        if (intervalNs <= 0)
        {
            return 0;
        }
        return 100.0 * ProcStat.seconds(ticks) / (intervalNs / 1e9);
    }
}
