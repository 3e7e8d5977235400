package org.revbench.reports.chart;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.svg.SVGGraphics2D;

/** The report's look for every chart (white, light grid, a sans-serif legend) and its drawing as an SVG element. */
final class ChartStyle {

    private ChartStyle() {}

    /** Applies the look; returns the chart's plot for the caller's own axes and renderer. */
    static XYPlot apply(JFreeChart chart, int legendFontSize) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, legendFontSize));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        return plot;
    }

    /** The chart as a self-contained {@code <svg>} element of the given size in pixels. */
    static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGElement();
    }
}
