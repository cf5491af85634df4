/* fuzz-labs-common.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-lab-report.h"

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

void cachet_fuzz_lab_parse (CachetLabFormat  format,
                            const guint8    *data,
                            size_t           size);

G_END_DECLS
