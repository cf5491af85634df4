/* fuzz-labs-hprim-sante.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feeds arbitrary bytes to the reader of HPRIM Santé record files. */

#include "config.h"

#include "fuzz-labs-common.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  cachet_fuzz_lab_parse (CACHET_LAB_FORMAT_HPRIM_SANTE, data, size);
  return 0;
}
