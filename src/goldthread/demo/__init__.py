"""Demo and benchmark data: `load_demo`, `demo_users` and `generate` live in `goldthread.demo.generator`."""
