# SPDX-License-Identifier: Apache-2.0
# The demo of `make run` and the benchmarks (included by the top Makefile).
include tests/bench/demo.mk
