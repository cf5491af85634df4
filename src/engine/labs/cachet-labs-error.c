/* cachet-labs-error.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cachet-labs-error.h"

G_DEFINE_QUARK (cachet-labs-error-quark, cachet_labs_error)
