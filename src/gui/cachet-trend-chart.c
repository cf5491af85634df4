/* cachet-trend-chart.c
 *
 * Copyright 2026 The Cachet developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cachet-trend-chart.h"

/* The values of one analyte over time, drawn because a doctor sees a
 * trend at a glance where a column of numbers must be read: the reference
 * range is a band, values outside it are larger rings as well as red, so
 * colour is never the only sign, and the accessible description says
 * everything the drawing shows. */

#define MARGIN        12.0
#define TICK_GAP       6.0
#define POINT_RADIUS   3.5
#define ALERT_RADIUS   6.0
#define PLOT_INSET    24.0

struct _CachetTrendChart
{
  GtkWidget  parent_instance;

  char      *label;
  char      *unit;
  GArray    *points;
  double     low;
  double     high;
};

G_DEFINE_FINAL_TYPE (CachetTrendChart, cachet_trend_chart, GTK_TYPE_WIDGET)

static gboolean
point_is_outside (CachetTrendChart       *self,
                  const CachetTrendPoint *point)
{
  /* The lab's own flag counts even when its range is not in the file. */
  return (point->flag != CACHET_LAB_FLAG_NONE && point->flag != CACHET_LAB_FLAG_NORMAL)
         || point->value < self->low || point->value > self->high;
}

static char *
format_day (gint64 time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (time);

  /* Translators: a day on the chart's time axis, see g_date_time_format() */
  return g_date_time_format (date, _("%d/%m/%Y"));
}

static char *
format_value (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* Labs give at most a few decimals; %g drops the trailing zeros. */
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", value));
}

static void
update_description (CachetTrendChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *name = g_strdup_printf (_("Trend of %s"), self->label != NULL ? self->label : "");

  if (self->points->len == 0)
    g_string_append (text, _("No earlier numeric value to draw."));
  for (guint i = 0; i < self->points->len; i++)
    {
      const CachetTrendPoint *point = &g_array_index (self->points, CachetTrendPoint, i);
      g_autofree char *day = format_day (point->time);
      g_autofree char *value = format_value (point->value);

      /* Translators: a date, a value and its unit in the chart's summary */
      g_string_append_printf (text, _("%s: %s %s"), day, value, self->unit != NULL ? self->unit : "");
      if (point_is_outside (self, point))
        g_string_append_printf (text, " (%s)", _("outside the reference range"));
      g_string_append (text, i + 1 < self->points->len ? "; " : ".");
    }
  if (isfinite (self->low) || isfinite (self->high))
    {
      g_autofree char *low = isfinite (self->low) ? format_value (self->low) : g_strdup ("…");
      g_autofree char *high = isfinite (self->high) ? format_value (self->high) : g_strdup ("…");

      g_string_append_c (text, ' ');
      g_string_append_printf (text, _("Reference range %s to %s."), low, high);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static double
parse_bound (const char *text,
             double      missing)
{
  double value;

  return cachet_lab_parse_number (text, &value) ? value : missing;
}

/**
 * cachet_trend_chart_set_series:
 * @label: the analyte's name
 * @unit: (nullable): its unit
 * @points: (element-type CachetTrendPoint): its values, oldest first, as
 *   cachet_lab_history_dup_trend() gives them
 * @reference_low: (nullable): the lower bound of the reference range
 * @reference_high: (nullable): the upper bound
 */
void
cachet_trend_chart_set_series (CachetTrendChart *self,
                               const char       *label,
                               const char       *unit,
                               GArray           *points,
                               const char       *reference_low,
                               const char       *reference_high)
{
  g_return_if_fail (CACHET_IS_TREND_CHART (self));
  g_return_if_fail (points != NULL);

  g_free (self->label);
  self->label = g_strdup (label);
  g_free (self->unit);
  self->unit = g_strdup (unit);
  g_array_unref (self->points);
  self->points = g_array_ref (points);
  self->low = parse_bound (reference_low, -INFINITY);
  self->high = parse_bound (reference_high, INFINITY);

  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * cachet_trend_chart_get_points:
 *
 * Returns: (transfer none) (element-type CachetTrendPoint): the values
 *   drawn, oldest first
 */
GArray *
cachet_trend_chart_get_points (CachetTrendChart *self)
{
  g_return_val_if_fail (CACHET_IS_TREND_CHART (self), NULL);
  return self->points;
}

/**
 * cachet_trend_chart_new:
 *
 * Returns: (transfer floating): an empty chart
 */
GtkWidget *
cachet_trend_chart_new (void)
{
  return g_object_new (CACHET_TYPE_TREND_CHART, NULL);
}

typedef struct
{
  double left, top, right, bottom;
  double min_value, max_value;
  gint64 min_time, max_time;
} Frame;

static double
frame_x (const Frame *frame,
         gint64       time)
{
  /* One day only: the points stand in the middle. */
  /* Inset, so that the first point and its value clear the axis. */
  double left = frame->left + PLOT_INSET;
  double right = frame->right - PLOT_INSET;

  if (frame->max_time == frame->min_time)
    return (left + right) / 2;
  return left + (right - left) * (double) (time - frame->min_time) / (double) (frame->max_time - frame->min_time);
}

static double
frame_y (const Frame *frame,
         double       value)
{
  return frame->bottom - (frame->bottom - frame->top) * (value - frame->min_value)
                         / (frame->max_value - frame->min_value);
}

static void
compute_range (CachetTrendChart *self,
               Frame            *frame)
{
  double span;

  frame->min_value = INFINITY;
  frame->max_value = -INFINITY;
  frame->min_time = G_MAXINT64;
  frame->max_time = G_MININT64;
  for (guint i = 0; i < self->points->len; i++)
    {
      const CachetTrendPoint *point = &g_array_index (self->points, CachetTrendPoint, i);

      frame->min_value = MIN (frame->min_value, point->value);
      frame->max_value = MAX (frame->max_value, point->value);
      frame->min_time = MIN (frame->min_time, point->time);
      frame->max_time = MAX (frame->max_time, point->time);
    }
  if (isfinite (self->low))
    frame->min_value = MIN (frame->min_value, self->low);
  if (isfinite (self->high))
    frame->max_value = MAX (frame->max_value, self->high);
  span = frame->max_value - frame->min_value;
  if (span <= 0)
    span = MAX (fabs (frame->max_value), 1.0);
  frame->min_value -= span * 0.1;
  frame->max_value += span * 0.1;
}

static void
draw_text (CachetTrendChart *self,
           cairo_t          *cr,
           const char       *text,
           double            x,
           double            y,
           double            x_align,
           double            y_align)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - width * x_align, y - height * y_align);
  pango_cairo_show_layout (cr, layout);
}

static int
text_width (CachetTrendChart *self,
            const char       *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* The values worth reading off the axis: the reference bounds and the
 * extremes of the series, highest first. */
static int
compare_descending (gconstpointer a,
                    gconstpointer b)
{
  double first = *(const double *) a;
  double second = *(const double *) b;

  return (first < second) - (first > second);
}

/* The values worth reading off the axis: the reference bounds and the
 * extremes of the series, highest first. */
static GArray *
axis_values (CachetTrendChart *self)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));
  double lowest = INFINITY;
  double highest = -INFINITY;

  for (guint i = 0; i < self->points->len; i++)
    {
      lowest = MIN (lowest, g_array_index (self->points, CachetTrendPoint, i).value);
      highest = MAX (highest, g_array_index (self->points, CachetTrendPoint, i).value);
    }
  g_array_append_val (values, highest);
  g_array_append_val (values, lowest);
  if (isfinite (self->high))
    g_array_append_val (values, self->high);
  if (isfinite (self->low))
    g_array_append_val (values, self->low);
  g_array_sort (values, compare_descending);
  return values;
}

static void
draw_axes (CachetTrendChart *self,
           cairo_t          *cr,
           const Frame      *frame,
           const GdkRGBA    *color,
           int               line_height)
{
  g_autoptr(GArray) ticks = axis_values (self);
  g_autofree char *first = format_day (frame->min_time);
  g_autofree char *last = format_day (frame->max_time);
  double last_y = -INFINITY;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, frame->left, frame->top);
  cairo_line_to (cr, frame->left, frame->bottom);
  cairo_line_to (cr, frame->right, frame->bottom);
  cairo_stroke (cr);

  /* Labels closer than a line would overlap: the higher one is kept. */
  for (guint i = 0; i < ticks->len; i++)
    {
      double y = frame_y (frame, g_array_index (ticks, double, i));
      g_autofree char *text = format_value (g_array_index (ticks, double, i));

      if (y - last_y < line_height)
        continue;
      draw_text (self, cr, text, frame->left - TICK_GAP, y, 1, 0.5);
      cairo_move_to (cr, frame->left - TICK_GAP / 2, y);
      cairo_line_to (cr, frame->left, y);
      cairo_stroke (cr);
      last_y = y;
    }
  if (self->unit != NULL)
    draw_text (self, cr, self->unit, MARGIN, MARGIN, 0, 0);
  draw_text (self, cr, first, frame_x (frame, frame->min_time), frame->bottom + TICK_GAP, 0.5, 0);
  if (frame->max_time != frame->min_time)
    draw_text (self, cr, last, frame_x (frame, frame->max_time), frame->bottom + TICK_GAP, 0.5, 0);
}

static void
draw_band (CachetTrendChart *self,
           cairo_t          *cr,
           const Frame      *frame)
{
  double top = isfinite (self->high) ? frame_y (frame, self->high) : frame->top;
  double bottom = isfinite (self->low) ? frame_y (frame, self->low) : frame->bottom;

  if (!isfinite (self->low) && !isfinite (self->high))
    return;
  /* Adwaita's success green, faint so the points stay readable on it. */
  cairo_set_source_rgba (cr, 0.18, 0.76, 0.49, 0.18);
  cairo_rectangle (cr, frame->left, top, frame->right - frame->left, bottom - top);
  cairo_fill (cr);
}

static void
draw_points (CachetTrendChart *self,
             cairo_t          *cr,
             const Frame      *frame,
             const GdkRGBA    *color)
{
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < self->points->len; i++)
    {
      const CachetTrendPoint *point = &g_array_index (self->points, CachetTrendPoint, i);
      double x = frame_x (frame, point->time);
      double y = frame_y (frame, point->value);

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);

  for (guint i = 0; i < self->points->len; i++)
    {
      const CachetTrendPoint *point = &g_array_index (self->points, CachetTrendPoint, i);
      double x = frame_x (frame, point->time);
      double y = frame_y (frame, point->value);

      g_autofree char *value = format_value (point->value);

      gdk_cairo_set_source_rgba (cr, color);
      draw_text (self, cr, value, x, y - ALERT_RADIUS - TICK_GAP / 2, 0.5, 1);
      if (point_is_outside (self, point))
        {
          /* Adwaita's error red, and a ring: seen without colour too. */
          cairo_set_source_rgb (cr, 0.88, 0.11, 0.14);
          /* The value's text left a current point: no line from it. */
          cairo_new_path (cr);
          cairo_arc (cr, x, y, ALERT_RADIUS, 0, 2 * G_PI);
          cairo_stroke (cr);
          cairo_arc (cr, x, y, POINT_RADIUS, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else
        {
          cairo_new_path (cr);
          cairo_arc (cr, x, y, POINT_RADIUS, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }
}

static void
cachet_trend_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  CachetTrendChart *self = CACHET_TREND_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) probe = gtk_widget_create_pango_layout (widget, "0");
  g_autoptr(GArray) ticks = NULL;
  int label_width = 0;
  cairo_t *cr;
  GdkRGBA color;
  Frame frame;
  int line_height;

  if (self->points->len == 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  pango_layout_get_pixel_size (probe, NULL, &line_height);
  compute_range (self, &frame);
  ticks = axis_values (self);
  for (guint i = 0; i < ticks->len; i++)
    {
      g_autofree char *text = format_value (g_array_index (ticks, double, i));

      label_width = MAX (label_width, text_width (self, text));
    }
  frame.left = MARGIN + label_width + TICK_GAP;
  frame.right = width - MARGIN;
  /* Room for the unit and for the value above the highest point. */
  frame.top = MARGIN + 2 * line_height + TICK_GAP;
  frame.bottom = height - MARGIN - line_height - TICK_GAP;
  if (frame.right <= frame.left || frame.bottom <= frame.top)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_band (self, cr, &frame);
  draw_axes (self, cr, &frame, &color, line_height);
  draw_points (self, cr, &frame, &color);
  cairo_destroy (cr);
}

static void
cachet_trend_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 480;
    }
  else
    {
      *minimum = 160;
      *natural = 200;
    }
}

static void
cachet_trend_chart_finalize (GObject *object)
{
  CachetTrendChart *self = CACHET_TREND_CHART (object);

  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->unit, g_free);
  g_clear_pointer (&self->points, g_array_unref);

  G_OBJECT_CLASS (cachet_trend_chart_parent_class)->finalize (object);
}

static void
cachet_trend_chart_class_init (CachetTrendChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cachet_trend_chart_finalize;
  widget_class->snapshot = cachet_trend_chart_snapshot;
  widget_class->measure = cachet_trend_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "trendchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cachet_trend_chart_init (CachetTrendChart *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (CachetTrendPoint));
  self->low = -INFINITY;
  self->high = INFINITY;
  update_description (self);
}
