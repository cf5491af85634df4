/* fuzz-labs-xdm.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Feeds arbitrary bytes to the reader of IHE XDM zip packages, through libarchive and libxml2. */

#include "config.h"

#include "fuzz-labs-common.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  cachet_fuzz_lab_parse (CACHET_LAB_FORMAT_XDM, data, size);
  return 0;
}
