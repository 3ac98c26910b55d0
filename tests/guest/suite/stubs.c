#include "xtest.h"
void area_fifo(void) {}
void area_3l(void) {}
void area_limits(void) {}
void role_bench(void) {}
