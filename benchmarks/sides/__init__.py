"""The contenders: one module per implementation, each function doing one unit of work and
returning a :data:`benchmarks.harness.Work` record of counts for the same-work check."""
