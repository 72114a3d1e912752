// One testbed per machine (fixed namespace names): tests of this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
