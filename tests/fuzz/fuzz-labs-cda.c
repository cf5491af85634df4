/* fuzz-labs-cda.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feeds arbitrary bytes to the reader of CDA R2 documents, through libxml2. */

#include "config.h"

#include "fuzz-labs-common.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  cachet_fuzz_lab_parse (CACHET_LAB_FORMAT_CDA, data, size);
  return 0;
}
