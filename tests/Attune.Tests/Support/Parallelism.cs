// Three test classes at a time, not one per core: many tests spend much of their time waiting (for a
// job, an email, a live frame, a server process to start), and on CI's two cores two at a time left
// the processor idle for a good part of each run.
[assembly: CollectionBehavior(MaxParallelThreads = 3)]
