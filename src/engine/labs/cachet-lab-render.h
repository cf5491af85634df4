/* cachet-lab-render.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cachet-lab-report.h"

G_BEGIN_DECLS

char *cachet_lab_render_html (CachetLabReport *report);

G_END_DECLS
