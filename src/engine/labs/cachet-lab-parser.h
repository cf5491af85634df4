/* cachet-lab-parser.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-lab-report.h"

G_BEGIN_DECLS

CachetLabFormat  cachet_lab_detect_format (GBytes          *bytes,
                                           const char      *filename);
GPtrArray       *cachet_lab_parse         (GBytes          *bytes,
                                           CachetLabFormat  format,
                                           const char      *charset,
                                           GError         **error);

G_END_DECLS
