/* cachet-trend-chart.h
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cachet-lab-history.h"

G_BEGIN_DECLS

#define CACHET_TYPE_TREND_CHART (cachet_trend_chart_get_type ())

G_DECLARE_FINAL_TYPE (CachetTrendChart, cachet_trend_chart, CACHET, TREND_CHART, GtkWidget)

GtkWidget *cachet_trend_chart_new        (void);
void       cachet_trend_chart_set_series (CachetTrendChart *self,
                                          const char       *label,
                                          const char       *unit,
                                          GArray           *points,
                                          const char       *reference_low,
                                          const char       *reference_high);
GArray    *cachet_trend_chart_get_points (CachetTrendChart *self);

G_END_DECLS
